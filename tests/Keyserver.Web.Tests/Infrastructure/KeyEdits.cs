using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>What the holder of a test key's secret can do to it: add identities, revoke it.</summary>
internal static class KeyEdits
{
    private static readonly SecureRandom Random = new();

    /// <summary>
    /// The public key with one more self-certified user ID (what a thief with the secret key can
    /// add); with <paramref name="criticalNotation"/>, its certification carries a critical notation
    /// no reader understands.
    /// </summary>
    public static byte[] AddUserId(TestKey key, string userId, bool criticalNotation = false) => Sign(key, (primary, signer) =>
    {
        signer.InitSign(PgpSignature.PositiveCertification, PrivateKey(key), Random);
        var flags = new PgpSignatureSubpacketGenerator();
        flags.SetKeyFlags(false, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign);
        if (criticalNotation)
        {
            flags.AddNotationData(true, true, "unknown@keyserver.test", "must be understood");
        }

        signer.SetHashedSubpackets(flags.Generate());
        return PgpPublicKey.AddCertification(primary, userId, signer.GenerateCertification(userId, primary));
    });

    /// <summary>The public key with a key revocation signature (RFC 9580 §5.2.1, type 0x20).</summary>
    public static byte[] Revoke(TestKey key) => Sign(key, (primary, signer) =>
    {
        signer.InitSign(PgpSignature.KeyRevocation, PrivateKey(key), Random);
        var reason = new PgpSignatureSubpacketGenerator();
        reason.SetRevocationReason(false, RevocationReasonTag.KeyCompromised, "stolen");
        signer.SetHashedSubpackets(reason.Generate());
        return PgpPublicKey.AddCertification(primary, signer.GenerateCertification(primary));
    });

    /// <summary>True when the armored or binary keyring's primary key carries a revocation.</summary>
    public static bool IsRevoked(byte[] keyring)
    {
        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(keyring));
        return new PgpPublicKeyRingBundle(input).GetKeyRings().Single().GetPublicKey().HasRevocation();
    }

    private static byte[] Sign(TestKey key, Func<PgpPublicKey, PgpSignatureGenerator, PgpPublicKey> edit)
    {
        var ring = new PgpPublicKeyRing(key.Binary);
        var signer = new PgpSignatureGenerator(PublicKeyAlgorithmTag.EdDsa_Legacy, HashAlgorithmTag.Sha256);
        return PgpPublicKeyRing.InsertPublicKey(ring, edit(ring.GetPublicKey(), signer)).GetEncoded();
    }

    private static PgpPrivateKey PrivateKey(TestKey key) =>
        new PgpSecretKeyRing(key.SecretBinary).GetSecretKey().ExtractPrivateKey([]);
}
