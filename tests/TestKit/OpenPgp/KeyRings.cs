using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace TestKit.OpenPgp;

/// <summary>Test keys made with BouncyCastle, and reading keyrings back, independently of the code under test.</summary>
public static class KeyRings
{
    /// <summary>One random source for every key the tests make.</summary>
    public static SecureRandom Random { get; } = new();

    /// <summary>A fresh Ed25519 (legacy EdDSA, algorithm 22 unless told) key pair created at <paramref name="created"/>.</summary>
    public static PgpKeyPair NewEd25519(DateTime created, PublicKeyAlgorithmTag algorithm = PublicKeyAlgorithmTag.EdDsa_Legacy)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        return new PgpKeyPair(algorithm, generator.GenerateKeyPair(), created);
    }

    /// <summary>A fresh X25519 (ECDH) key pair created at <paramref name="created"/>.</summary>
    public static PgpKeyPair NewX25519(DateTime created)
    {
        var generator = new X25519KeyPairGenerator();
        generator.Init(new X25519KeyGenerationParameters(Random));
        return new PgpKeyPair(PublicKeyAlgorithmTag.ECDH, generator.GenerateKeyPair(), created);
    }

    /// <summary>
    /// A fresh Ed25519 key (sign and certify, no subkey, not protected) whose self-certification is made
    /// at <paramref name="created"/> too, so a later self-signature (a new expiry) is the newest.
    /// </summary>
    public static PgpSecretKeyRing NewSigningKey(string userId, DateTime created)
    {
        var pair = NewEd25519(created);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, created);
        hashed.SetKeyFlags(false, PgpKeyFlags.CanSign | PgpKeyFlags.CanCertify);
        hashed.SetPrimaryUserId(false, true);
        hashed.SetIssuerFingerprint(false, pair.PublicKey);
        var generator = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification, pair, userId, SymmetricKeyAlgorithmTag.Null, (char[]?)null, false, hashed.Generate(), null, Random);
        return generator.GenerateSecretKeyRing();
    }

    /// <summary>Now, in whole seconds: OpenPGP stores creation time in seconds, and signatures must agree with it.</summary>
    public static DateTime WholeSecondsUtc(TimeSpan offset = default)
    {
        var now = DateTime.UtcNow + offset;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    /// <summary>All public key rings in armored or binary OpenPGP data.</summary>
    public static IReadOnlyList<PgpPublicKeyRing> ReadPublic(byte[] data)
    {
        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data));
        return new PgpPublicKeyRingBundle(input).GetKeyRings().ToList();
    }

    /// <summary>Upper-case hex v4 fingerprint.</summary>
    public static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());

    /// <summary>The primary fingerprints of the keys in an armored or binary keyring.</summary>
    public static IReadOnlyList<string> Fingerprints(byte[] keyring) =>
        ReadPublic(keyring).Select(ring => Fingerprint(ring.GetPublicKey())).ToList();
}
