using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SifSign.Keys;

/// <summary>What an import did with one key.</summary>
/// <param name="Fingerprint">Upper-case fingerprint of the key.</param>
/// <param name="Secret">True for the secret keyring, false for the public one.</param>
/// <param name="Added">False when a key with that fingerprint was already there (nothing changed).</param>
public sealed record ImportedKey(string Fingerprint, bool Secret, bool Added);

/// <summary>
/// The local keyrings in one keys directory, in Apptainer's format: <c>pgp-public</c> and
/// <c>pgp-secret</c>, binary concatenations of transferable keys, directory 0700 and files 0600.
/// Every change rewrites the file through a temporary file and a rename, so a crash never leaves
/// a half-written keyring.
/// </summary>
public sealed class Keyring
{
    /// <summary>File name of the public keyring.</summary>
    public const string PublicFileName = "pgp-public";

    /// <summary>File name of the secret keyring.</summary>
    public const string SecretFileName = "pgp-secret";

    /// <summary>File name of the system-wide public keyring administrators manage (Apptainer's <c>global-pgp-public</c>).</summary>
    public const string GlobalPublicFileName = "global-pgp-public";

    /// <summary>Opens (without touching the disk) the keyrings in <paramref name="directory"/>.</summary>
    public Keyring(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    private Keyring(string directory, bool global)
        : this(directory)
    {
        IsGlobal = global;
    }

    /// <summary>The keys directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// True for the global keyring: public keys only, in <see cref="GlobalPublicFileName"/>, readable by
    /// every user (0644); its directory is the administrator's and is never created or changed here.
    /// </summary>
    public bool IsGlobal { get; }

    /// <summary>Path of the public keyring file.</summary>
    public string PublicPath => Path.Combine(Directory, IsGlobal ? GlobalPublicFileName : PublicFileName);

    /// <summary>Opens (without touching the disk) the global public keyring in <paramref name="configDirectory"/>.</summary>
    public static Keyring Global(string configDirectory) => new(configDirectory, global: true);

    /// <summary>Path of the secret keyring file.</summary>
    public string SecretPath => Path.Combine(Directory, SecretFileName);

    /// <summary>The public keys; empty when the file does not exist.</summary>
    /// <exception cref="KeyringException">The file is unreadable or not a keyring.</exception>
    public IReadOnlyList<PgpPublicKeyRing> ReadPublic() => KeyFile.ReadFile(PublicPath, missingIsEmpty: true).PublicKeys;

    /// <summary>The secret keys; empty when the file does not exist.</summary>
    /// <exception cref="KeyringException">The file is unreadable or not a keyring.</exception>
    public IReadOnlyList<PgpSecretKeyRing> ReadSecret() => IsGlobal ? [] : KeyFile.ReadFile(SecretPath, missingIsEmpty: true).SecretKeys;

    /// <summary>
    /// Adds keys: each secret key to the secret keyring and its public part to the public keyring;
    /// each public key to the public keyring. A key whose fingerprint is already present is left alone.
    /// </summary>
    public IReadOnlyList<ImportedKey> Import(KeyFileContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var results = new List<ImportedKey>();
        var secret = ReadSecret().ToList();
        var secretChanged = AddMissing(secret, IsGlobal ? [] : contents.SecretKeys, ring => ring.GetPublicKey(), isSecret: true, results);
        var publicKeys = ReadPublic().ToList();
        var candidates = contents.SecretKeys.Select(PublicPart).Concat(contents.PublicKeys);
        var publicChanged = AddMissing(publicKeys, candidates, ring => ring.GetPublicKey(), isSecret: false, results);

        // Secret first: a crash in between leaves a secret key without its public part, which the
        // next import repairs, never a public key whose secret was lost.
        if (secretChanged)
        {
            WriteSecret(secret);
        }

        if (publicChanged)
        {
            WritePublic(publicKeys);
        }

        return results;
    }

    /// <summary>
    /// Appends to <paramref name="keys"/> each ring of <paramref name="incoming"/> whose fingerprint it
    /// lacks, noting every ring in <paramref name="results"/>; true when one was appended.
    /// </summary>
    private static bool AddMissing<TRing>(
        List<TRing> keys, IEnumerable<TRing> incoming, Func<TRing, PgpPublicKey> primary, bool isSecret, List<ImportedKey> results)
    {
        var changed = false;
        foreach (var ring in incoming)
        {
            var fingerprint = KeyIdentity.Fingerprint(primary(ring));
            var present = keys.Any(existing => KeyIdentity.Fingerprint(primary(existing)) == fingerprint);
            if (!present)
            {
                keys.Add(ring);
                changed = true;
            }

            results.Add(new ImportedKey(fingerprint, Secret: isSecret, Added: !present));
        }

        return changed;
    }

    /// <summary>Removes the public key with this fingerprint or key ID; returns false if none matched.</summary>
    public bool RemovePublic(string handle)
    {
        var keys = ReadPublic().ToList();
        var removed = keys.RemoveAll(ring => KeyIdentity.Matches(ring.GetPublicKey(), handle));
        if (removed > 0)
        {
            WritePublic(keys);
        }

        return removed > 0;
    }

    /// <summary>Removes the secret key with this fingerprint or key ID; returns false if none matched.</summary>
    public bool RemoveSecret(string handle)
    {
        if (IsGlobal)
        {
            return false;
        }

        var keys = ReadSecret().ToList();
        var removed = keys.RemoveAll(ring => KeyIdentity.Matches(ring.GetPublicKey(), handle));
        if (removed > 0)
        {
            WriteSecret(keys);
        }

        return removed > 0;
    }

    /// <summary>Replaces the public keyring with <paramref name="keys"/>.</summary>
    public void WritePublic(IEnumerable<PgpPublicKeyRing> keys) => WriteAtomically(PublicPath, KeyFile.Encode(keys, armor: false));

    /// <summary>Replaces the secret keyring with <paramref name="keys"/>.</summary>
    public void WriteSecret(IEnumerable<PgpSecretKeyRing> keys) =>
        WriteAtomically(IsGlobal ? throw new KeyringException("the global keyring holds public keys only") : SecretPath, KeyFile.Encode(keys, armor: false));

    /// <summary>The public half of a secret key, as it goes into the public keyring.</summary>
    public static PgpPublicKeyRing PublicPart(PgpSecretKeyRing secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        using var buffer = new MemoryStream();
        foreach (var key in secret.GetPublicKeys())
        {
            var encoded = key.GetEncoded();
            if (!key.IsMasterKey)
            {
                RetagAsSubkey(encoded);
            }

            buffer.Write(encoded);
        }

        return new PgpPublicKeyRing(buffer.ToArray());
    }

    // BouncyCastle encodes a subkey taken from a secret key with the primary-key packet tag (6);
    // a transferable public key needs public-subkey packets (tag 14, RFC 4880 §5.5.1.2).
    private static void RetagAsSubkey(byte[] packet)
    {
        const int PublicKeyTag = 6;
        const int PublicSubkeyTag = 14;
        var first = packet[0];
        if ((first & 0x40) != 0)
        {
            if ((first & 0x3F) == PublicKeyTag)
            {
                packet[0] = 0xC0 | PublicSubkeyTag;
            }
        }
        else if (((first >> 2) & 0x0F) == PublicKeyTag)
        {
            packet[0] = (byte)((first & 0x83) | (PublicSubkeyTag << 2));
        }
    }

    private void EnsureDirectory()
    {
        if (IsGlobal)
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                throw new KeyringException($"global keyring directory {Directory} does not exist");
            }

            return;
        }

        try
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    System.IO.Directory.CreateDirectory(Directory);
                }
                else
                {
                    System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyringException($"cannot create keys directory {Directory}: {e.Message}", e);
        }
    }

    private void WriteAtomically(string path, byte[] content)
    {
        EnsureDirectory();
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = IsGlobal
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new KeyringException($"cannot write {path}: {e.Message}", e);
        }
    }
}
