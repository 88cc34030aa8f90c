using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Security;

namespace Interop.Tests.Infrastructure;

/// <summary>
/// Keys made at test time with BouncyCastle (ed25519, fast), for round trips where gpg's own key
/// generation would only cost time: user-ID variants, third-party signature floods.
/// </summary>
public static class TestKeys
{
    private static SecureRandom Random => KeyRings.Random;

    /// <summary>A fresh ed25519 signing key pair.</summary>
    public static PgpKeyPair NewKeyPair() => KeyRings.NewEd25519(KeyRings.WholeSecondsUtc());

    /// <summary>The public key of <paramref name="primary"/> with a positive self-certification per user ID.</summary>
    public static PgpPublicKeyRing Certificate(PgpKeyPair primary, params string[] userIds)
    {
        var key = primary.PublicKey;
        foreach (var userId in userIds)
        {
            key = PgpPublicKey.AddCertification(key, userId, SelfCertification(primary, userId));
        }

        return new PgpPublicKeyRing(key.GetEncoded());
    }

    /// <summary>A fresh key's armored certificate with one user ID, and its fingerprint.</summary>
    public static string ArmoredCertificate(string userId, out string fingerprint)
    {
        var primary = NewKeyPair();
        fingerprint = Fingerprint(primary.PublicKey);
        return Armor(Certificate(primary, userId).GetEncoded());
    }

    /// <summary>A positive self-certification of <paramref name="userId"/> (sign+certify, created now).</summary>
    public static PgpSignature SelfCertification(PgpKeyPair primary, string userId)
    {
        var generator = new PgpSignatureGenerator(primary.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.PositiveCertification, primary.PrivateKey, Random);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, primary.PublicKey.CreationTime);
        hashed.SetIssuerFingerprint(false, primary.PublicKey);
        hashed.SetKeyFlags(false, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, primary.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator.GenerateCertification(userId, primary.PublicKey);
    }

    /// <summary>A generic certification of <paramref name="userId"/> on <paramref name="target"/> by another key.</summary>
    public static PgpSignature ThirdPartyCertification(PgpKeyPair signer, PgpPublicKey target, string userId)
    {
        var generator = new PgpSignatureGenerator(signer.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.DefaultCertification, signer.PrivateKey, Random);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, DateTime.UtcNow);
        hashed.SetIssuerFingerprint(false, signer.PublicKey);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, signer.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator.GenerateCertification(userId, target);
    }

    /// <summary>Upper-case hex v4 fingerprint.</summary>
    public static string Fingerprint(PgpPublicKey key) => KeyRings.Fingerprint(key);

    /// <summary>
    /// ASCII armor as BouncyCastle writes it (trailing newline); without <paramref name="version"/> and
    /// <paramref name="comment"/> it has no header lines, as gpg 2.2 writes it.
    /// </summary>
    public static string Armor(byte[] packets, string? version = null, string? comment = null)
    {
        using var buffer = new MemoryStream();
        using (var armor = ArmoredOutputStream.Build().SetVersion(version).SetComment(comment).Build(buffer))
        {
            armor.Write(packets);
        }

        return System.Text.Encoding.ASCII.GetString(buffer.ToArray());
    }

    /// <summary>All public key rings in armored or binary OpenPGP data.</summary>
    public static IReadOnlyList<PgpPublicKeyRing> ReadPublicKeyRings(byte[] data) => KeyRings.ReadPublic(data);
}
