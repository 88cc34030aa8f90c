using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace SifSign.Tests.TestSupport;

/// <summary>An OpenPGP key generated at test time.</summary>
internal sealed record TestKey(PgpSecretKeyRing Secret, PgpPublicKeyRing Public)
{
    public PgpPrivateKey PrivateKey => Secret.GetSecretKey().ExtractPrivateKey([]);

    public PgpPublicKey PrimaryKey => Public.GetPublicKey();

    public byte[] Fingerprint => PrimaryKey.GetFingerprint();
}

/// <summary>Generates keys for round trips (RSA 2048 for speed, legacy EdDSA v4).</summary>
internal static class TestKeys
{
    private static readonly SecureRandom Random = new();

    public static TestKey Rsa(string userId, int keyFlags = Org.BouncyCastle.Bcpg.Sig.KeyFlags.CertifyOther | Org.BouncyCastle.Bcpg.Sig.KeyFlags.SignData)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), Random, 2048, 12));
        return Build(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), userId, keyFlags);
    }

    public static TestKey Ed25519(string userId)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        return Build(PublicKeyAlgorithmTag.EdDsa_Legacy, generator.GenerateKeyPair(), userId,
            Org.BouncyCastle.Bcpg.Sig.KeyFlags.CertifyOther | Org.BouncyCastle.Bcpg.Sig.KeyFlags.SignData);
    }

    private static TestKey Build(PublicKeyAlgorithmTag algorithm, AsymmetricCipherKeyPair pair, string userId, int keyFlags)
    {
        var keyPair = new PgpKeyPair(algorithm, pair, DateTime.UtcNow.AddMinutes(-5));
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetKeyFlags(false, keyFlags);
        var generator = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification, keyPair, userId, SymmetricKeyAlgorithmTag.Null, (char[]?)null, false,
            hashed.Generate(), null, Random);
        return new TestKey(generator.GenerateSecretKeyRing(), generator.GeneratePublicKeyRing());
    }
}
