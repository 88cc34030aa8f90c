using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Integrity;

namespace SifSign.Keys;

/// <summary>What merging a fetched copy into a local key added.</summary>
/// <param name="Merged">The local key with what was new (the local object itself when nothing was).</param>
/// <param name="Revoked">The primary key was not revoked before and is now.</param>
/// <param name="NewSubkeys">Subkeys added.</param>
/// <param name="RevokedSubkeys">Subkeys that gained a revocation.</param>
/// <param name="NewUserIds">User IDs added.</param>
/// <param name="ExpiryBefore">When the primary key expired before the merge; null if never.</param>
/// <param name="ExpiryAfter">When it expires after the merge; null if never.</param>
/// <param name="NewSignatures">Self-signatures added, all kinds.</param>
public sealed record KeyMergeResult(
    PgpPublicKeyRing Merged,
    bool Revoked,
    int NewSubkeys,
    int RevokedSubkeys,
    int NewUserIds,
    DateTime? ExpiryBefore,
    DateTime? ExpiryAfter,
    int NewSignatures)
{
    /// <summary>True when anything was added.</summary>
    public bool Changed => NewSignatures > 0 || NewSubkeys > 0;

    /// <summary>One line for the user: "revoked", "2 new subkeys", "expiry extended to 2031-01-01", ..., or "unchanged".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Revoked)
        {
            parts.Add("revoked");
        }

        if (NewSubkeys > 0)
        {
            parts.Add(Count(NewSubkeys, "new subkey", "new subkeys"));
        }

        if (RevokedSubkeys > 0)
        {
            parts.Add(Count(RevokedSubkeys, "subkey revoked", "subkeys revoked"));
        }

        if (NewUserIds > 0)
        {
            parts.Add(Count(NewUserIds, "new user ID", "new user IDs"));
        }

        if (ExpiryAfter != ExpiryBefore)
        {
            parts.Add(ExpiryAfter is not { } after ? "expiry removed"
                : ExpiryBefore is not { } before || after > before ? $"expiry extended to {Date(after)}"
                : $"expiry shortened to {Date(after)}");
        }

        if (parts.Count == 0 && NewSignatures > 0)
        {
            parts.Add(Count(NewSignatures, "new self-signature", "new self-signatures"));
        }

        return parts.Count == 0 ? "unchanged" : string.Join(", ", parts);
    }

    private static string Count(int count, string one, string many) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);

    private static string Date(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>
/// The one merge of a key fetched again (from a keyserver) into the local copy, used by
/// <c>key refresh</c> and <c>verify --refresh</c>. Only what the key's own primary key signed and what
/// verifies is taken: key and subkey revocations and direct-key signatures (RFC 9580 §5.2.1.9–§5.2.1.12),
/// user ID self-certifications and their revocations (new expiry, new user IDs; §5.2.1.2–§5.2.1.5,
/// §5.2.1.13), and subkeys with a valid binding signature (§5.2.1.7). Third-party certifications are
/// never taken: a keyserver must not be able to add anything to a key that its owner did not sign.
/// </summary>
public static class KeyMerge
{
    /// <summary>Merges <paramref name="fetched"/> into <paramref name="local"/>; both must have the same primary key.</summary>
    /// <exception cref="ArgumentException">The primary keys differ.</exception>
    public static KeyMergeResult Merge(PgpPublicKeyRing local, PgpPublicKeyRing fetched)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(fetched);
        var primary = local.GetPublicKey();
        var fetchedPrimary = fetched.GetPublicKey();
        if (KeyIdentity.Fingerprint(primary) != KeyIdentity.Fingerprint(fetchedPrimary))
        {
            throw new ArgumentException("the fetched key is another key", nameof(fetched));
        }

        var wasRevoked = primary.HasRevocation();
        var expiryBefore = PgpValidity.Expiry(local, primary);
        var added = 0;
        var newUserIds = 0;

        var merged = primary;
        foreach (var signature in fetchedPrimary.GetKeySignatures())
        {
            if (signature.SignatureType is PgpSignature.KeyRevocation or PgpSignature.DirectKey
                && !Contains(merged.GetKeySignatures(), signature)
                && Verifies(signature, s => s.VerifyCertification(primary), primary))
            {
                merged = PgpPublicKey.AddCertification(merged, signature);
                added++;
            }
        }

        foreach (var userId in fetchedPrimary.GetUserIds())
        {
            var known = merged.GetSignaturesForId(userId)?.ToList();
            var isNew = known is null;
            foreach (var signature in fetchedPrimary.GetSignaturesForId(userId) ?? [])
            {
                if ((signature.IsCertification() || signature.SignatureType == PgpSignature.CertificationRevocation)
                    && !Contains(known ?? [], signature)
                    && Verifies(signature, s => s.VerifyCertification(userId, primary), primary))
                {
                    merged = PgpPublicKey.AddCertification(merged, userId, signature);
                    added++;
                    if (isNew)
                    {
                        newUserIds++;
                        isNew = false;
                    }
                }
            }
        }

        var ring = added > 0 ? PgpPublicKeyRing.InsertPublicKey(local, merged) : local;
        var newSubkeys = 0;
        var revokedSubkeys = 0;
        foreach (var subkey in fetched.GetPublicKeys().Where(key => !key.IsMasterKey))
        {
            var existing = ring.GetPublicKeys().FirstOrDefault(key => !key.IsMasterKey && key.GetFingerprint().AsSpan().SequenceEqual(subkey.GetFingerprint()));
            var target = existing ?? StripSignatures(subkey);
            var subkeyAdded = 0;
            foreach (var signature in subkey.GetSignatures())
            {
                if (signature.SignatureType is PgpSignature.SubkeyBinding or PgpSignature.SubkeyRevocation
                    && (existing is null || !Contains(existing.GetSignatures(), signature))
                    && Verifies(signature, s => s.VerifyCertification(primary, subkey), primary))
                {
                    target = PgpPublicKey.AddCertification(target, signature);
                    subkeyAdded++;
                }
            }

            // A new subkey comes only with a binding signature; an existing one gains what is new.
            if (subkeyAdded == 0 || (existing is null && !target.GetSignaturesOfType(PgpSignature.SubkeyBinding).Any()))
            {
                continue;
            }

            if (existing is null)
            {
                newSubkeys++;
            }
            else if (!existing.HasRevocation() && target.HasRevocation())
            {
                revokedSubkeys++;
            }

            ring = PgpPublicKeyRing.InsertPublicKey(ring, target);
            added += subkeyAdded;
        }

        var mergedPrimary = ring.GetPublicKey();
        return new KeyMergeResult(
            ring,
            !wasRevoked && mergedPrimary.HasRevocation(),
            newSubkeys,
            revokedSubkeys,
            newUserIds,
            expiryBefore,
            PgpValidity.Expiry(ring, mergedPrimary),
            added);
    }

    private static PgpPublicKey StripSignatures(PgpPublicKey subkey)
    {
        var bare = subkey;
        foreach (var signature in subkey.GetSignatures().ToList())
        {
            bare = PgpPublicKey.RemoveCertification(bare, signature);
        }

        return bare;
    }

    private static bool Contains(IEnumerable<PgpSignature> signatures, PgpSignature signature)
    {
        var value = signature.GetSignature();
        return signatures.Any(s => s.SignatureType == signature.SignatureType && s.GetSignature().AsSpan().SequenceEqual(value));
    }

    private static bool Verifies(PgpSignature signature, Func<PgpSignature, bool> verify, PgpPublicKey primary)
    {
        if (signature.KeyId != primary.KeyId)
        {
            return false;
        }

        try
        {
            signature.InitVerify(primary);
            return verify(signature);
        }
        catch (Exception e) when (e is PgpException or ArgumentException or InvalidOperationException or IOException)
        {
            // A malformed signature proves nothing.
            return false;
        }
    }
}
