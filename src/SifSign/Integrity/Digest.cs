using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>The digest algorithms of the metadata JSON (sylabs/sif pkg/integrity metadata.go) and of legacy signatures.</summary>
public enum DigestAlgorithm
{
    /// <summary>SHA-224 (<c>sha224</c>).</summary>
    Sha224,

    /// <summary>SHA-256 (<c>sha256</c>), what signing always uses.</summary>
    Sha256,

    /// <summary>SHA-384 (<c>sha384</c>).</summary>
    Sha384,

    /// <summary>SHA-512 (<c>sha512</c>).</summary>
    Sha512,

    /// <summary>SHA-512/224 (<c>sha512_224</c>).</summary>
    Sha512_224,

    /// <summary>SHA-512/256 (<c>sha512_256</c>).</summary>
    Sha512_256,

    /// <summary>BLAKE2s-256 (legacy descriptors only).</summary>
    Blake2s256,

    /// <summary>BLAKE2b-256 (legacy descriptors only).</summary>
    Blake2b256,
}

/// <summary>A digest value with its algorithm, formatted <c>name:hex</c> as in the metadata JSON.</summary>
/// <param name="Algorithm">The algorithm.</param>
/// <param name="Value">The raw digest bytes.</param>
public sealed record Digest(DigestAlgorithm Algorithm, byte[] Value)
{
    private static readonly (DigestAlgorithm Algorithm, string Name, int Size)[] Named =
    [
        (DigestAlgorithm.Sha224, "sha224", 28),
        (DigestAlgorithm.Sha256, "sha256", 32),
        (DigestAlgorithm.Sha384, "sha384", 48),
        (DigestAlgorithm.Sha512, "sha512", 64),
        (DigestAlgorithm.Sha512_224, "sha512_224", 28),
        (DigestAlgorithm.Sha512_256, "sha512_256", 32),
    ];

    /// <summary>The digest as <c>name:lowercase-hex</c>.</summary>
    public override string ToString()
    {
        var name = Array.Find(Named, n => n.Algorithm == Algorithm).Name
            ?? throw new IntegrityException("hash algorithm unsupported");
        return name + ":" + Convert.ToHexStringLower(Value);
    }

    /// <summary>True when <paramref name="other"/> has the same algorithm and value.</summary>
    public bool Matches(Digest other) =>
        other is not null && other.Algorithm == Algorithm && Value.AsSpan().SequenceEqual(other.Value);

    /// <summary>
    /// Parses <c>name:hex</c> as Go's <c>digest.UnmarshalJSON</c> does: exactly two parts, a known name,
    /// hex that decodes to the algorithm's size. Throws <see cref="IntegrityException"/> otherwise.
    /// </summary>
    public static Digest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2)
        {
            throw new IntegrityException("digest malformed");
        }

        byte[] value;
        try
        {
            value = Convert.FromHexString(parts[1]);
        }
        catch (FormatException e)
        {
            throw new IntegrityException("digest malformed: encoding/hex: invalid byte", e);
        }

        foreach (var (algorithm, name, size) in Named)
        {
            if (name == parts[0])
            {
                return value.Length == size ? new Digest(algorithm, value) : throw new IntegrityException("digest malformed");
            }
        }

        throw new IntegrityException("hash algorithm unsupported");
    }

    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static Digest Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var hasher = Hasher.Create(algorithm);
        hasher.Append(data);
        return new Digest(algorithm, hasher.Finish());
    }

    /// <summary>The digest algorithm a signature descriptor's hash type names.</summary>
    internal static DigestAlgorithm FromHashType(SifHashType type) => type switch
    {
        SifHashType.Sha256 => DigestAlgorithm.Sha256,
        SifHashType.Sha384 => DigestAlgorithm.Sha384,
        SifHashType.Sha512 => DigestAlgorithm.Sha512,
        SifHashType.Blake2s256 => DigestAlgorithm.Blake2s256,
        SifHashType.Blake2b256 => DigestAlgorithm.Blake2b256,
        _ => throw new IntegrityException("hash algorithm unsupported"),
    };
}

/// <summary>Streaming hashing: the platform's SHA-2 where it has one, BouncyCastle for the rest.</summary>
internal abstract class Hasher : IDisposable
{
    public abstract void Append(ReadOnlySpan<byte> data);

    public abstract byte[] Finish();

    public abstract void Dispose();

    public static Hasher Create(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => new Platform(HashAlgorithmName.SHA256),
        DigestAlgorithm.Sha384 => new Platform(HashAlgorithmName.SHA384),
        DigestAlgorithm.Sha512 => new Platform(HashAlgorithmName.SHA512),
        DigestAlgorithm.Sha224 => new Bc(new Sha224Digest()),
        DigestAlgorithm.Sha512_224 => new Bc(new Sha512tDigest(224)),
        DigestAlgorithm.Sha512_256 => new Bc(new Sha512tDigest(256)),
        DigestAlgorithm.Blake2s256 => new Bc(new Blake2sDigest(256)),
        DigestAlgorithm.Blake2b256 => new Bc(new Blake2bDigest(256)),
        _ => throw new IntegrityException("hash algorithm unsupported"),
    };

    private sealed class Platform(HashAlgorithmName name) : Hasher
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(name);

        public override void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);

        public override byte[] Finish() => hash.GetHashAndReset();

        public override void Dispose() => hash.Dispose();
    }

    private sealed class Bc(IDigest digest) : Hasher
    {
        public override void Append(ReadOnlySpan<byte> data) => digest.BlockUpdate(data);

        public override byte[] Finish()
        {
            var output = new byte[digest.GetDigestSize()];
            digest.DoFinal(output, 0);
            return output;
        }

        public override void Dispose()
        {
        }
    }
}
