using System.Globalization;
using System.Text;

namespace Keyserver.Contracts;

/// <summary>
/// Builds <see cref="KeyRecord"/>s directly, deriving the index fields the way the core does in
/// spirit (key IDs from fingerprint tails, words of published user IDs). Key material is test bytes.
/// </summary>
public static class TestRecords
{
    public static readonly DateTimeOffset Epoch = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A v4-length fingerprint; different <paramref name="n"/> give different long and short key IDs.</summary>
    public static string Fingerprint(int n, string prefix = "AB") =>
        (prefix + new string('0', 30) + n.ToString("X8", CultureInfo.InvariantCulture))[^40..];

    public static IdentityRecord Identity(string userId, IdentityState state = IdentityState.Published, Revocation? revoked = null)
    {
        var open = userId.IndexOf('<', StringComparison.Ordinal);
        var close = userId.IndexOf('>', StringComparison.Ordinal);
        var email = open >= 0 && close > open ? userId[(open + 1)..close].ToLowerInvariant() : null;
        return new IdentityRecord(userId, email, state, Epoch, Epoch.AddYears(2), revoked, Epoch.AddMinutes(5));
    }

    public static KeyRecord Create(string fingerprint, IEnumerable<IdentityRecord> identities, IReadOnlyList<string>? subkeys = null, int revision = 0)
    {
        var ids = identities.ToList();
        var published = ids.Where(i => i.State == IdentityState.Published).ToList();
        var subkeyInfos = (subkeys ?? []).Select(fp => new SubkeyInfo(
            fp,
            fp[^16..],
            new KeyInfo(18, 256, "Curve25519", Epoch.AddDays(1), null, null),
            KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)).ToList();
        var fingerprints = new[] { fingerprint }.Concat(subkeyInfos.Select(s => s.Fingerprint)).ToList();
        var publishedBytes = published.Count == 0
            ? null
            : Encoding.UTF8.GetBytes($"published {fingerprint} r{revision} " + string.Join("|", published.Select(i => i.UserId)));
        return new KeyRecord
        {
            Fingerprint = fingerprint,
            Version = 4,
            FullKey = Encoding.UTF8.GetBytes($"full {fingerprint} r{revision} " + string.Join("|", ids.Select(i => i.UserId))),
            Published = publishedBytes,
            Primary = new KeyInfo(22, 256, "Ed25519", Epoch, Epoch.AddYears(3), null),
            Subkeys = subkeyInfos,
            Identities = ids,
            Fingerprints = fingerprints,
            KeyIds = fingerprints.Select(f => f[^16..]).ToList(),
            ShortKeyIds = fingerprints.Select(f => f[^8..]).ToList(),
            PublishedEmails = published.Select(i => i.Email).OfType<string>().Distinct().ToList(),
            PublishedWords = published.SelectMany(i => Words(i.UserId)).Distinct().ToList(),
            FirstSeen = Epoch,
            LastModified = Epoch.AddSeconds(revision),
        };
    }

    public static KeyRecord Create(string fingerprint, params string[] publishedUserIds) =>
        Create(fingerprint, publishedUserIds.Select(u => Identity(u)));

    /// <summary>The record with one more identity (what a merge of an upload adding a user ID yields).</summary>
    public static KeyRecord AddIdentity(KeyRecord? record, string fingerprint, IdentityRecord identity) =>
        Create(
            fingerprint,
            (record?.Identities ?? []).Append(identity),
            record?.Subkeys.Select(s => s.Fingerprint).ToList(),
            record is null ? 0 : (int)(record.LastModified - Epoch).TotalSeconds + 1);

    /// <summary>A copy of <paramref name="source"/> with the given fields replaced (KeyRecord has no <c>with</c>).</summary>
    public static KeyRecord Copy(
        KeyRecord source,
        int? version = null,
        byte[]? fullKey = null,
        byte[]? published = null,
        KeyInfo? primary = null,
        DateTimeOffset? firstSeen = null,
        DateTimeOffset? lastModified = null) => new()
    {
        Fingerprint = source.Fingerprint,
        Version = version ?? source.Version,
        FullKey = fullKey ?? source.FullKey,
        Published = published ?? source.Published,
        Primary = primary ?? source.Primary,
        Subkeys = source.Subkeys,
        Identities = source.Identities,
        Fingerprints = source.Fingerprints,
        KeyIds = source.KeyIds,
        ShortKeyIds = source.ShortKeyIds,
        PublishedEmails = source.PublishedEmails,
        PublishedWords = source.PublishedWords,
        FirstSeen = firstSeen ?? source.FirstSeen,
        LastModified = lastModified ?? source.LastModified,
    };

    /// <summary>Whole lower-case words of letters and digits.</summary>
    public static IEnumerable<string> Words(string userId)
    {
        var word = new StringBuilder();
        foreach (var c in userId + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
    }
}
