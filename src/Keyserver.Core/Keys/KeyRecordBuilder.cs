using System.Text;
using Keyserver.Core.Ingest;
using Keyserver.Core.Packets;
using Keyserver.Core.Search;

namespace Keyserver.Core.Keys;

/// <summary>
/// Derives a <see cref="KeyRecord"/> from a merged, normalised key: key facts, identities with their
/// consent states, the published view and the lookup indexes.
/// </summary>
/// <remarks>
/// The input must come from the ingest pipeline: every self-signature in it has been verified, so it
/// is only read here, never checked again. Signatures by other keys (kept only when the policy allows)
/// are told apart by their issuer and never count for validity.
/// </remarks>
public static class KeyRecordBuilder
{
    /// <summary>
    /// Builds the stored record. Identities already in <paramref name="previous"/> keep their state
    /// (matched by exact user ID text); new ones are Published when <paramref name="mode"/> is
    /// <see cref="PublicationMode.None"/> or <paramref name="publishAll"/> is set, else Pending.
    /// </summary>
    /// <param name="fullKey">The full merged key, binary, as produced by the ingest pipeline.</param>
    /// <param name="previous">The record stored before, or null for a new key.</param>
    /// <param name="mode">The publication mode.</param>
    /// <param name="publishAll">Publish new identities whatever the mode.</param>
    /// <param name="now">The current time (first seen, last modified, state changes).</param>
    /// <exception cref="InvalidDataException"><paramref name="fullKey"/> is not a well-formed key.</exception>
    public static KeyRecord Build(byte[] fullKey, KeyRecord? previous, PublicationMode mode, bool publishAll, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fullKey);
        return Build(Certificate.Parse(fullKey), fullKey, previous, mode, publishAll, now);
    }

    /// <summary>As <see cref="Build(byte[], KeyRecord?, PublicationMode, bool, DateTimeOffset)"/>, for a key the caller has already parsed and serialised.</summary>
    internal static KeyRecord Build(Certificate certificate, byte[] fullKey, KeyRecord? previous, PublicationMode mode, bool publishAll, DateTimeOffset now)
    {
        var known = new Dictionary<string, IdentityRecord>(StringComparer.Ordinal);
        foreach (var identity in previous?.Identities ?? [])
        {
            known.TryAdd(identity.UserId, identity);
        }

        var initial = mode == PublicationMode.None || publishAll ? IdentityState.Published : IdentityState.Pending;
        return BuildCore(
            certificate,
            fullKey,
            userId => known.TryGetValue(userId, out var old) ? (old.State, old.StateChanged) : (initial, now),
            previous?.FirstSeen ?? now,
            now);
    }

    /// <summary>
    /// Applies new consent states and rebuilds the published view and indexes. Returns
    /// <paramref name="record"/> itself when no state changes.
    /// </summary>
    /// <param name="record">The stored record.</param>
    /// <param name="newState">The wanted state of each identity.</param>
    /// <param name="now">The current time (last modified, state changes).</param>
    public static KeyRecord WithStates(KeyRecord record, Func<IdentityRecord, IdentityState> newState, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(newState);
        var states = new Dictionary<string, (IdentityState, DateTimeOffset)>(StringComparer.Ordinal);
        var changed = false;
        foreach (var identity in record.Identities)
        {
            var state = newState(identity);
            changed |= state != identity.State;
            states.TryAdd(identity.UserId, state == identity.State ? (state, identity.StateChanged) : (state, now));
        }

        if (!changed)
        {
            return record;
        }

        return BuildCore(
            Certificate.Parse(record.FullKey),
            record.FullKey,
            userId => states.TryGetValue(userId, out var s) ? s : (IdentityState.Pending, now),
            record.FirstSeen,
            now);
    }

    /// <summary>
    /// What remains of <paramref name="record"/> when it is deleted: the primary key with its
    /// self-revocations, and each revoked subkey with its binding and revocation. A revocation is
    /// never forgotten, so a thief holding the secret key cannot delete it and upload an older copy
    /// (every later upload merges into the tombstone). Null when nothing is revoked: then the key is
    /// deleted whole.
    /// </summary>
    /// <param name="record">The stored record.</param>
    /// <param name="now">The current time.</param>
    public static KeyRecord? Tombstone(KeyRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var full = Certificate.Parse(record.FullKey);
        var info = full.Info;
        bool Self(Packet signature, int type) =>
            SignatureInfo.Parse(signature.Body) is { } s && s.Type == type && s.IssuedBy(info.Fingerprint, info.KeyId);

        var tombstone = new Certificate(full.Primary, info);
        foreach (var revocation in full.DirectSignatures.Where(d => Self(d, SignatureInfo.KeyRevocation)))
        {
            tombstone.AddDirect(revocation);
        }

        foreach (var subkey in full.Subkeys.Where(c => c.Signatures.Exists(sig => Self(sig, SignatureInfo.SubkeyRevocation))))
        {
            var kept = tombstone.GetOrAdd(subkey.Packet);
            foreach (var signature in subkey.Signatures.Where(sig => Self(sig, SignatureInfo.SubkeyBinding) || Self(sig, SignatureInfo.SubkeyRevocation)))
            {
                kept.AddSignature(signature);
            }
        }

        if (tombstone.DirectSignatures.Count == 0 && tombstone.Subkeys.Count == 0)
        {
            return null;
        }

        return BuildCore(tombstone, tombstone.Serialize(), _ => (IdentityState.Pending, now), record.FirstSeen, now);
    }

    private static KeyRecord BuildCore(
        Certificate certificate,
        byte[] fullKey,
        Func<string, (IdentityState State, DateTimeOffset Changed)> stateOf,
        DateTimeOffset firstSeen,
        DateTimeOffset now)
    {
        var info = certificate.Info;
        bool IsSelf(SignatureInfo s) => s.IssuedBy(info.Fingerprint, info.KeyId);

        var direct = SelfSignatures(certificate.DirectSignatures, IsSelf);
        var identities = new List<IdentityRecord>();
        var published = new HashSet<Component>();
        SignatureInfo? primaryCertification = null;
        var primaryIsFlagged = false;
        foreach (var component in certificate.UserIds)
        {
            var signatures = SelfSignatures(component.Signatures, IsSelf);
            var newest = Newest(signatures, s => s.IsCertification);
            if (newest is null)
            {
                continue;
            }

            var revocation = Newest(signatures, s => s.Type == SignatureInfo.CertRevocation);
            var revoked = revocation is not null && revocation.Created >= newest.Created ? ToRevocation(revocation) : null;
            if (revoked is null && (primaryCertification is null
                || (newest.PrimaryUserId && !primaryIsFlagged)
                || (newest.PrimaryUserId == primaryIsFlagged && newest.Created > primaryCertification.Created)))
            {
                primaryCertification = newest;
                primaryIsFlagged = newest.PrimaryUserId;
            }

            var userId = Encoding.UTF8.GetString(component.Packet.Body.Span);
            var (state, changed) = stateOf(userId);
            identities.Add(new IdentityRecord(
                userId,
                SearchText.Email(userId),
                state,
                newest.Created,
                ExpiryOf(info.Created, newest),
                revoked,
                changed));
            if (state == IdentityState.Published)
            {
                published.Add(component);
            }
        }

        var directKey = Newest(direct, s => s.Type == SignatureInfo.DirectKey);
        var expirySource = directKey is not null && (primaryCertification is null || directKey.Created >= primaryCertification.Created)
            ? directKey
            : primaryCertification;
        var keyRevocation = Newest(direct, s => s.Type == SignatureInfo.KeyRevocation);
        var primary = new KeyInfo(
            info.Algorithm,
            info.Bits,
            info.Curve,
            info.Created,
            expirySource is null ? null : ExpiryOf(info.Created, expirySource),
            keyRevocation is null ? null : ToRevocation(keyRevocation));

        var subkeys = new List<SubkeyInfo>();
        foreach (var component in certificate.Subkeys)
        {
            var subkey = KeyPacketInfo.Parse(component.Packet.Body.Span, out _);
            var signatures = SelfSignatures(component.Signatures, IsSelf);
            var binding = Newest(signatures, s => s.Type == SignatureInfo.SubkeyBinding);
            if (subkey is null || binding is null)
            {
                continue;
            }

            var revocation = Newest(signatures, s => s.Type == SignatureInfo.SubkeyRevocation);
            subkeys.Add(new SubkeyInfo(
                subkey.FingerprintHex,
                subkey.KeyIdHex,
                new KeyInfo(subkey.Algorithm, subkey.Bits, subkey.Curve, subkey.Created, ExpiryOf(subkey.Created, binding),
                    revocation is null ? null : ToRevocation(revocation)),
                (KeyUsage)((binding.KeyFlags ?? 0) & 0x2F)));
        }

        byte[]? publishedKey = null;
        // A key its owner revoked is always served, with no identity but the published ones: the
        // revocation must reach everyone who has the key.
        if (published.Count > 0 || keyRevocation is not null)
        {
            // User attributes are never published: a photo is personal data nobody confirmed.
            publishedKey = certificate.Serialize(published.Contains, includeUserAttributes: false);
        }

        var fingerprints = new List<string> { info.FingerprintHex };
        var keyIds = new List<string> { info.KeyIdHex };
        foreach (var subkey in subkeys)
        {
            fingerprints.Add(subkey.Fingerprint);
            keyIds.Add(subkey.KeyId);
        }

        var publishedIdentities = identities.Where(i => i.State == IdentityState.Published).ToList();
        return new KeyRecord
        {
            Fingerprint = info.FingerprintHex,
            Version = info.Version,
            FullKey = fullKey,
            Published = publishedKey,
            Primary = primary,
            Subkeys = subkeys,
            Identities = identities,
            Fingerprints = fingerprints.Distinct().ToList(),
            KeyIds = keyIds.Distinct().ToList(),
            ShortKeyIds = keyIds.Select(k => k[8..]).Distinct().ToList(),
            PublishedEmails = publishedIdentities.Select(i => i.Email).OfType<string>().Distinct().ToList(),
            PublishedWords = publishedIdentities.SelectMany(i => SearchText.Words(i.UserId)).Distinct().ToList(),
            FirstSeen = firstSeen,
            LastModified = now,
        };
    }

    private static List<SignatureInfo> SelfSignatures(List<Packet> signatures, Func<SignatureInfo, bool> isSelf)
    {
        var result = new List<SignatureInfo>(signatures.Count);
        foreach (var packet in signatures)
        {
            var signature = SignatureInfo.Parse(packet.Body);
            if (signature is not null && isSelf(signature))
            {
                result.Add(signature);
            }
        }

        return result;
    }

    private static SignatureInfo? Newest(List<SignatureInfo> signatures, Func<SignatureInfo, bool> which)
    {
        SignatureInfo? newest = null;
        foreach (var signature in signatures)
        {
            if (which(signature) && (newest is null || signature.Created > newest.Created))
            {
                newest = signature;
            }
        }

        return newest;
    }

    private static DateTimeOffset? ExpiryOf(DateTimeOffset keyCreated, SignatureInfo signature) =>
        signature.KeyExpirySeconds is { } seconds ? keyCreated.AddSeconds(seconds) : null;

    private static Revocation ToRevocation(SignatureInfo signature) =>
        new(signature.Created, signature.RevocationCode ?? 0, signature.RevocationText ?? "");
}
