using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SifSign.Integrity;

/// <summary>
/// Whether a signature that verified may be trusted at a given time, decided as sylabs/sif decides:
/// its <c>pkg/integrity</c> clearsign decoder calls go-crypto's <c>CheckDetachedSignatureAndHash</c>
/// at the current time, which refuses, in this order, a revoked key, an expired signature (or one made
/// in the future) and an expired key. The key's expiry is read from its newest self-signature: the
/// binding signature of a subkey (RFC 9580 §5.2.1.7), the self-certification of the primary user ID
/// for a primary key (RFC 9580 §5.2.3.19, §5.2.3.26, key expiration time and primary user ID); a key
/// expired at verify time is refused even when it signed before expiring.
/// </summary>
internal static class PgpValidity
{
    public const string KeyRevoked = "openpgp: key revoked";

    public const string SignatureExpired = "openpgp: signature expired";

    public const string KeyExpired = "openpgp: key expired";

    /// <summary>Null when <paramref name="key"/> of <paramref name="ring"/> may be trusted for <paramref name="signature"/> at <paramref name="now"/>, else the cause.</summary>
    public static string? Check(PgpSignature signature, PgpPublicKeyRing ring, PgpPublicKey key, DateTime now)
    {
        var primary = ring.GetPublicKey();
        if (key.HasRevocation() || primary.HasRevocation())
        {
            return KeyRevoked;
        }

        if (SignatureHasExpired(signature, now))
        {
            return SignatureExpired;
        }

        if (key.CreationTime > now)
        {
            return KeyExpired;
        }

        var selfSignature = key.IsMasterKey ? PrimaryUserIdSelfSignature(key) : NewestBinding(key, primary);
        if (selfSignature is null)
        {
            return null;
        }

        var lifetime = selfSignature.GetHashedSubPackets()?.GetKeyExpirationTime() ?? 0;
        if ((lifetime > 0 && now > key.CreationTime.AddSeconds(lifetime)) || SignatureHasExpired(selfSignature, now))
        {
            return KeyExpired;
        }

        return null;
    }

    /// <summary>When the key (primary or subkey) expires by its newest self-signature; null if it never does.</summary>
    public static DateTime? Expiry(PgpPublicKeyRing ring, PgpPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(key);
        var selfSignature = key.IsMasterKey ? PrimaryUserIdSelfSignature(key) : NewestBinding(key, ring.GetPublicKey());
        var lifetime = selfSignature?.GetHashedSubPackets()?.GetKeyExpirationTime() ?? 0;
        return lifetime > 0 ? key.CreationTime.AddSeconds(lifetime) : null;
    }

    /// <summary>Made after <paramref name="now"/>, or past its signature expiration time (RFC 9580 §5.2.3.18).</summary>
    private static bool SignatureHasExpired(PgpSignature signature, DateTime now)
    {
        if (signature.CreationTime > now)
        {
            return true;
        }

        var lifetime = signature.GetHashedSubPackets()?.GetSignatureExpirationTime() ?? 0;
        return lifetime > 0 && now > signature.CreationTime.AddSeconds(lifetime);
    }

    private static PgpSignature? NewestBinding(PgpPublicKey subkey, PgpPublicKey primary) =>
        subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding)
            .Where(s => s.KeyId == primary.KeyId)
            .MaxBy(s => s.CreationTime);

    /// <summary>
    /// go-crypto's <c>Entity.PrimaryIdentity</c>: among user IDs with a self-certification, the one
    /// with fewest revocations, then the one flagged primary, then the newest; its newest self-certification.
    /// </summary>
    private static PgpSignature? PrimaryUserIdSelfSignature(PgpPublicKey primary)
    {
        PgpSignature? best = null;
        var bestRevocations = 0;
        foreach (var userId in primary.GetUserIds())
        {
            PgpSignature? newest = null;
            var revocations = 0;
            foreach (var signature in primary.GetSignaturesForId(userId) ?? [])
            {
                if (signature.KeyId != primary.KeyId)
                {
                    continue;
                }

                if (signature.SignatureType == PgpSignature.CertificationRevocation)
                {
                    revocations++;
                }
                else if (signature.IsCertification() && (newest is null || signature.CreationTime > newest.CreationTime))
                {
                    newest = signature;
                }
            }

            if (newest is not null && (best is null || Prefer(best, bestRevocations, newest, revocations)))
            {
                best = newest;
                bestRevocations = revocations;
            }
        }

        return best;
    }

    private static bool Prefer(PgpSignature existing, int existingRevocations, PgpSignature candidate, int candidateRevocations)
    {
        if (existingRevocations != candidateRevocations)
        {
            return candidateRevocations < existingRevocations;
        }

        var existingPrimary = existing.GetHashedSubPackets()?.IsPrimaryUserId() == true;
        var candidatePrimary = candidate.GetHashedSubPackets()?.IsPrimaryUserId() == true;
        if (existingPrimary != candidatePrimary)
        {
            return candidatePrimary;
        }

        return candidate.CreationTime > existing.CreationTime;
    }
}
