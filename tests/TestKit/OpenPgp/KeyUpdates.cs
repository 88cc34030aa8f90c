using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace TestKit.OpenPgp;

/// <summary>
/// What a key's owner publishes after the key was pulled, made with BouncyCastle independently of
/// the code under test: a revocation, a new expiry, a new subkey, a new user ID. Each returns the
/// public key with the new signature; <paramref name="signer"/> is normally the key's own secret key.
/// </summary>
public static class KeyUpdates
{
    /// <summary>A key revocation signature (RFC 9580 §5.2.1.11) over the primary key, made by <paramref name="signer"/>.</summary>
    public static PgpPublicKeyRing Revoke(PgpPublicKeyRing ring, PgpSecretKey signer)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var primary = ring.GetPublicKey();
        var revocation = Generator(signer, PgpSignature.KeyRevocation, KeyRings.WholeSecondsUtc(), _ => { }).GenerateCertification(primary);
        return PgpPublicKeyRing.InsertPublicKey(ring, PgpPublicKey.AddCertification(primary, revocation));
    }

    /// <summary>
    /// A new self-certification of the first user ID, made at <paramref name="at"/>, that sets the key
    /// expiration time (RFC 9580 §5.2.3.13) to <paramref name="expires"/>; null: never expires.
    /// </summary>
    public static PgpPublicKeyRing SetExpiry(PgpPublicKeyRing ring, PgpSecretKey primarySecret, DateTime? expires, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var primary = ring.GetPublicKey();
        var userId = primary.GetUserIds().First();
        var lifetime = expires is { } e ? (long)(e - primary.CreationTime).TotalSeconds : 0;
        var certification = Generator(primarySecret, PgpSignature.PositiveCertification, at, subpackets =>
        {
            subpackets.SetKeyFlags(false, PgpKeyFlags.CanSign | PgpKeyFlags.CanCertify);
            subpackets.SetPrimaryUserId(false, true);
            subpackets.SetKeyExpirationTime(false, lifetime);
        }).GenerateCertification(userId, primary);
        return PgpPublicKeyRing.InsertPublicKey(ring, PgpPublicKey.AddCertification(primary, userId, certification));
    }

    /// <summary>A new user ID with its self-certification.</summary>
    public static PgpPublicKeyRing AddUserId(PgpPublicKeyRing ring, PgpSecretKey primarySecret, string userId)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var primary = ring.GetPublicKey();
        var certification = Generator(primarySecret, PgpSignature.PositiveCertification, KeyRings.WholeSecondsUtc(), _ => { })
            .GenerateCertification(userId, primary);
        return PgpPublicKeyRing.InsertPublicKey(ring, PgpPublicKey.AddCertification(primary, userId, certification));
    }

    /// <summary>A new X25519 encryption subkey with its binding signature (RFC 9580 §5.2.1.7).</summary>
    public static PgpPublicKeyRing AddSubkey(PgpPublicKeyRing ring, PgpSecretKey primarySecret)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var now = KeyRings.WholeSecondsUtc();
        var subkey = KeyRings.NewX25519(now).PublicKey;
        var binding = Generator(primarySecret, PgpSignature.SubkeyBinding, now, subpackets =>
            subpackets.SetKeyFlags(false, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage))
            .GenerateCertification(ring.GetPublicKey(), subkey);
        // BouncyCastle tags a lone key as a primary key; re-read it as a subkey of the ring.
        using var buffer = new MemoryStream();
        ring.Encode(buffer);
        var encoded = PgpPublicKey.AddCertification(subkey, binding).GetEncoded();
        encoded[0] = (encoded[0] & 0x40) != 0 ? (byte)(0xC0 | 14) : (byte)((encoded[0] & 0x83) | (14 << 2));
        buffer.Write(encoded);
        return new PgpPublicKeyRing(buffer.ToArray());
    }

    private static PgpSignatureGenerator Generator(PgpSecretKey signer, int type, DateTime at, Action<PgpSignatureSubpacketGenerator> subpackets)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var generator = new PgpSignatureGenerator(signer.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(type, signer.ExtractPrivateKey([]));
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, at);
        hashed.SetIssuerFingerprint(false, signer.PublicKey);
        subpackets(hashed);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, signer.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator;
    }
}
