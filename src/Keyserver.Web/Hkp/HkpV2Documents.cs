using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;

namespace Keyserver.Web.Hkp;

/// <summary>
/// The JSON bodies of HKP v2 (draft-ietf-openpgp-hkp-01 §7; field names as draft-gallagher-openpgp-hkp-10
/// Tables 8-12 spell them): the index of certificates and the submission answer. Fingerprints are
/// lower-case hex without 0x, times UTC in RFC 3339 §5.6 form, optional fields left out when empty.
/// </summary>
internal static class HkpV2Documents
{
    /// <summary>§8: 120 or more is complete confidence that the identity belongs to the key's owner.</summary>
    public const int ConfirmedByMail = 120;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// One certificate object per key (§7.1.1): version and fingerprint of the primary key and every
    /// subkey, and the published user IDs only. <paramref name="confidence"/> is what publication
    /// means on this server: 120 when an owner confirmed each address by mail, else 0.
    /// </summary>
    public static IReadOnlyList<CertificateEntry> Index(IEnumerable<KeyRecord> keys, DateTimeOffset now, int confidence) =>
        keys.Select(key => CertificateEntry.Of(
            KeyEntry(key.Version, key.Fingerprint, key.Primary, now),
            [.. key.Identities.Where(i => i.State == IdentityState.Published).Select(i => new UserIdEntry(
                i.UserId, Time(i.Created), Time(i.Expires), i.Revoked is not null, confidence))],
            [.. key.Subkeys.Select(s => KeyEntry(VersionOf(s.Fingerprint), s.Fingerprint, s.Info, now))])).ToList();

    /// <summary>
    /// The submission answer (§7.2, Table 12): all five arrays, always present. Nothing a submission
    /// does here deletes a certificate, so <c>deleted</c> is empty. A refused key goes under
    /// <c>invalid</c> with the reason as <c>comment</c>; one without a readable fingerprint is left out.
    /// </summary>
    public static SubmissionAnswer Submission(IngestReport report)
    {
        List<SubmittedCertificate> inserted = [], updated = [], ignored = [], invalid = [];
        foreach (var key in report.Keys.Where(k => k.Fingerprint is not null))
        {
            var dropped = key.Dropped.Count > 0 ? "dropped: " + string.Join("; ", key.Dropped) : null;
            var (list, comment) = key.Kind switch
            {
                KeyOutcomeKind.Added => (inserted, dropped),
                KeyOutcomeKind.Updated => (updated, dropped),
                KeyOutcomeKind.Unchanged => (ignored, dropped),
                _ => (invalid, string.IsNullOrEmpty(key.Reason) ? "not a usable public key" : key.Reason),
            };
            list.Add(new SubmittedCertificate(VersionOf(key.Fingerprint!), key.Fingerprint!.ToLowerInvariant(), comment));
        }

        return new SubmissionAnswer(inserted, updated, [], ignored, invalid);
    }

    private static int VersionOf(string fingerprint) => fingerprint.Length == 64 ? 6 : 4;

    // The fields a certificate object shares with each of its subkey objects (§7.1.1).
    private static SubkeyEntry KeyEntry(int version, string fingerprint, KeyInfo info, DateTimeOffset now) => new(
        version,
        fingerprint.ToLowerInvariant(),
        Time(info.Created),
        Time(info.Expires),
        info.Expires is { } expires && expires <= now,
        info.Revoked is not null,
        Algorithm.Of(info.Algorithm),
        BitLength(info));

    // §7.1.1 (Table 9): a bit length only for RSA, DSA and ElGamal keys.
    private static int? BitLength(KeyInfo info) => info.Algorithm is 1 or 2 or 3 or 16 or 17 or 20 ? info.Bits : null;

    private static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal sealed record CertificateEntry(
        int Version,
        string Fingerprint,
        string? Creation,
        string? Expiration,
        bool IsExpired,
        bool IsRevoked,
        Algorithm Algorithm,
        int? BitLength,
        IReadOnlyList<UserIdEntry> UserIDs,
        IReadOnlyList<SubkeyEntry> Subkeys)
    {
        public static CertificateEntry Of(SubkeyEntry primary, IReadOnlyList<UserIdEntry> userIds, IReadOnlyList<SubkeyEntry> subkeys) => new(
            primary.Version, primary.Fingerprint, primary.Creation, primary.Expiration, primary.IsExpired, primary.IsRevoked, primary.Algorithm, primary.BitLength, userIds, subkeys);
    }

    internal sealed record UserIdEntry(string UidString, string? Creation, string? Expiration, bool IsRevoked, int Confidence);

    internal sealed record SubkeyEntry(
        int Version, string Fingerprint, string? Creation, string? Expiration, bool IsExpired, bool IsRevoked, Algorithm Algorithm, int? BitLength);

    internal sealed record Algorithm(int Code, string? Name)
    {
        // RFC 9580 §9.1 names.
        public static Algorithm Of(int code) => new(code, code switch
        {
            1 => "RSA",
            2 => "RSA-E",
            3 => "RSA-S",
            16 => "Elgamal",
            17 => "DSA",
            18 => "ECDH",
            19 => "ECDSA",
            22 => "EdDSALegacy",
            25 => "X25519",
            26 => "X448",
            27 => "Ed25519",
            28 => "Ed448",
            _ => null,
        });
    }

    internal sealed record SubmittedCertificate(int Version, string Fingerprint, string? Comment);

    internal sealed record SubmissionAnswer(
        IReadOnlyList<SubmittedCertificate> Inserted,
        IReadOnlyList<SubmittedCertificate> Updated,
        IReadOnlyList<SubmittedCertificate> Deleted,
        IReadOnlyList<SubmittedCertificate> Ignored,
        IReadOnlyList<SubmittedCertificate> Invalid);
}
