using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SifSign.Keys;

/// <summary>The transferable keys found in one key file or keyring file.</summary>
/// <param name="PublicKeys">Public keys (transferable public keys), in file order.</param>
/// <param name="SecretKeys">Secret keys (transferable secret keys), in file order.</param>
public sealed record KeyFileContents(IReadOnlyList<PgpPublicKeyRing> PublicKeys, IReadOnlyList<PgpSecretKeyRing> SecretKeys)
{
    /// <summary>True when the file held no key at all.</summary>
    public bool IsEmpty => PublicKeys.Count == 0 && SecretKeys.Count == 0;
}

/// <summary>
/// Reads and writes OpenPGP key material in the two encodings users meet: binary concatenations of
/// transferable keys (Apptainer's <c>pgp-public</c>/<c>pgp-secret</c>, <c>gpg --export</c>) and
/// ASCII armor.
/// </summary>
public static class KeyFile
{
    /// <summary>
    /// Reads every transferable key in <paramref name="input"/>, binary or armored.
    /// </summary>
    /// <param name="input">The key data.</param>
    /// <param name="sourceName">Names the source in error messages (a path, "the keyserver answer").</param>
    /// <exception cref="KeyringException">The data is not OpenPGP key material.</exception>
    public static KeyFileContents Read(Stream input, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(input);
        var publicKeys = new List<PgpPublicKeyRing>();
        var secretKeys = new List<PgpSecretKeyRing>();
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var start = bytes.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return new KeyFileContents(publicKeys, secretKeys);
        }

        // A binary packet starts with a tag byte whose high bit is set; anything else must hold armor,
        // possibly after some text (a mail, a note), which is skipped as gpg does.
        if ((bytes[start] & 0x80) == 0)
        {
            var armor = bytes.IndexOf("-----BEGIN PGP "u8);
            start = armor >= 0 ? armor : throw new KeyringException(
                $"{sourceName} is not an OpenPGP key file (neither binary OpenPGP data nor ASCII armor)");
        }

        try
        {
            // BouncyCastle's armor decoder stops at the first END line: decode each block on its own
            // so a file holding several exported keys (gpg --armor --export A B) imports them all.
            foreach (var (offset, length) in Blocks(bytes, start))
            {
                using var segment = new MemoryStream(buffer.GetBuffer(), offset, length, writable: false);
                using var decoded = PgpUtilities.GetDecoderStream(segment);
                var factory = new PgpObjectFactory(decoded);
                while (factory.NextPgpObject() is { } item)
                {
                    switch (item)
                    {
                        case PgpPublicKeyRing publicRing:
                            publicKeys.Add(publicRing);
                            break;
                        case PgpSecretKeyRing secretRing:
                            secretKeys.Add(secretRing);
                            break;
                        case PgpMarker:
                            break;
                        default:
                            throw new KeyringException($"{sourceName} holds OpenPGP data that is not a key ({item.GetType().Name.Replace("Pgp", string.Empty, StringComparison.Ordinal)})");
                    }
                }
            }
        }
        catch (Exception e) when (e is not KeyringException and not OutOfMemoryException)
        {
            // BouncyCastle reports malformed packets with many exception types; all mean the same here.
            throw new KeyringException($"{sourceName} is not an OpenPGP key file: {e.Message}", e);
        }

        if (publicKeys.Count == 0 && secretKeys.Count == 0)
        {
            throw new KeyringException($"{sourceName} is not an OpenPGP key file: no key found");
        }

        return new KeyFileContents(publicKeys, secretKeys);
    }

    /// <summary>Reads a key file from disk; a missing file reads as empty when <paramref name="missingIsEmpty"/>.</summary>
    /// <exception cref="KeyringException">The file cannot be read or is not OpenPGP key material.</exception>
    public static KeyFileContents ReadFile(string path, bool missingIsEmpty)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        }
        catch (Exception e) when (missingIsEmpty && e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new KeyFileContents([], []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyringException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Writes public keys, concatenated, binary or armored.</summary>
    public static byte[] Encode(IEnumerable<PgpPublicKeyRing> keys, bool armor)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Encode(output => { foreach (var key in keys) { key.Encode(output); } }, armor);
    }

    /// <summary>Writes secret keys, concatenated, binary or armored.</summary>
    public static byte[] Encode(IEnumerable<PgpSecretKeyRing> keys, bool armor)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Encode(output => { foreach (var key in keys) { key.Encode(output); } }, armor);
    }

    private static byte[] Encode(Action<Stream> write, bool armor)
    {
        using var buffer = new MemoryStream();
        if (armor)
        {
            // No "Version:" header (the builder adds none): it only names the library, and strict
            // armor parsers choke on headers.
            using var armored = ArmoredOutputStream.Build().Build(buffer);
            write(armored);
        }
        else
        {
            write(buffer);
        }

        return buffer.ToArray();
    }

    // Binary data is one block; armor is cut at each BEGIN line (text between blocks goes with the
    // block before it, where the armor decoder ignores it).
    private static IEnumerable<(int Offset, int Length)> Blocks(ReadOnlySpan<byte> bytes, int start)
    {
        var blocks = new List<(int, int)>();
        if ((bytes[start] & 0x80) != 0)
        {
            blocks.Add((start, bytes.Length - start));
            return blocks;
        }

        var begin = "-----BEGIN PGP "u8;
        var offset = start;
        while (offset < bytes.Length)
        {
            var next = bytes[(offset + begin.Length)..].IndexOf(begin);
            var end = next < 0 ? bytes.Length : offset + begin.Length + next;
            blocks.Add((offset, end - offset));
            offset = end;
        }

        return blocks;
    }
}
