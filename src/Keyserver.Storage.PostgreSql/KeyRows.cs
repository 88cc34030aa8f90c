using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keyserver.Core.Keys;

namespace Keyserver.Storage.PostgreSql;

/// <summary>
/// The row shape of a <see cref="KeyRecord"/>: the metadata (key info, identities, the lookup lists
/// and dates) as JSON text in the small <c>keys</c> row, and the lookup terms as rows of
/// <c>key_terms</c>. Mapped by hand so the core records stay free of storage attributes.
/// </summary>
internal static class KeyRows
{
    public const short FingerprintTerm = 1;
    public const short KeyIdTerm = 2;
    public const short ShortKeyIdTerm = 3;
    public const short EmailTerm = 4;
    public const short WordTerm = 5;
    public const short UserIdTerm = 6;

    // The admin console's terms (schema 0002): the e-mail address, words and folded user ID of every
    // identity whatever its state, so an admin search is an index lookup like the public one.
    public const short AnyEmailTerm = 7;
    public const short AnyWordTerm = 8;
    public const short AnyUserIdTerm = 9;

    // B-tree entries are limited to about a third of a page; longer text (and text PostgreSQL cannot
    // hold, with NUL) is indexed by its hash, applied the same way to the query, so lookups stay exact.
    private const int MaxPlainTermBytes = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>The term for an e-mail address, word or hex value (already normalised by the core).</summary>
    public static string Term(string text) =>
        Encoding.UTF8.GetByteCount(text) <= MaxPlainTermBytes && !text.Contains('\0', StringComparison.Ordinal)
            ? text
            : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The term for a user ID: folded to upper case as <see cref="StringComparison.OrdinalIgnoreCase"/>
    /// compares, so every user ID equal to a query in that comparison has the query's term.
    /// </summary>
    public static string UserIdTermOf(string userId) => Term(userId.ToUpperInvariant());

    /// <summary>Every (kind, term) of a record, without duplicates.</summary>
    public static List<(short Kind, string Term)> TermsOf(KeyRecord record)
    {
        var terms = new HashSet<(short, string)>();
        terms.UnionWith(record.Fingerprints.Select(f => (FingerprintTerm, Term(f))));
        terms.UnionWith(record.KeyIds.Select(k => (KeyIdTerm, Term(k))));
        terms.UnionWith(record.ShortKeyIds.Select(k => (ShortKeyIdTerm, Term(k))));
        terms.UnionWith(record.PublishedEmails.Select(e => (EmailTerm, Term(e))));
        terms.UnionWith(record.PublishedWords.Select(w => (WordTerm, Term(w))));
        terms.UnionWith(record.Identities
            .Where(i => i.State == IdentityState.Published)
            .Select(i => (UserIdTerm, UserIdTermOf(i.UserId))));
        terms.UnionWith(AdminTermsOf(record.Identities));
        return terms.ToList();
    }

    /// <summary>The admin console's (kind, term) pairs of <paramref name="identities"/>, whatever their state.</summary>
    public static IEnumerable<(short Kind, string Term)> AdminTermsOf(IEnumerable<IdentityRecord> identities)
    {
        foreach (var identity in identities)
        {
            if (identity.Email is { Length: > 0 } email)
            {
                yield return (AnyEmailTerm, Term(email));
            }

            foreach (var word in Keyserver.Core.Search.SearchText.Words(identity.UserId))
            {
                yield return (AnyWordTerm, Term(word));
            }

            yield return (AnyUserIdTerm, UserIdTermOf(identity.UserId));
        }
    }

    public static int PublishedIdentityCount(KeyRecord record) => record.Identities.Count(i => i.State == IdentityState.Published);

    public static string ToMeta(KeyRecord record) => JsonSerializer.Serialize(
        new KeyMeta(
            record.Primary,
            record.Subkeys,
            record.Identities,
            record.Fingerprints,
            record.KeyIds,
            record.ShortKeyIds,
            record.PublishedEmails,
            record.PublishedWords,
            record.FirstSeen,
            record.LastModified),
        Json);

    public static KeyMeta FromMeta(string meta) =>
        JsonSerializer.Deserialize<KeyMeta>(meta, Json) ?? throw new InvalidDataException("A stored key has empty metadata.");

    public static KeyRecord ToRecord(string fingerprint, int version, KeyMeta meta, byte[] fullKey, byte[]? published) => new()
    {
        Fingerprint = fingerprint,
        Version = version,
        FullKey = fullKey,
        Published = published,
        Primary = meta.Primary,
        Subkeys = meta.Subkeys,
        Identities = meta.Identities,
        Fingerprints = meta.Fingerprints,
        KeyIds = meta.KeyIds,
        ShortKeyIds = meta.ShortKeyIds,
        PublishedEmails = meta.PublishedEmails,
        PublishedWords = meta.PublishedWords,
        FirstSeen = meta.FirstSeen,
        LastModified = meta.LastModified,
    };

    /// <summary>What the <c>meta</c> column holds.</summary>
    internal sealed record KeyMeta(
        KeyInfo Primary,
        IReadOnlyList<SubkeyInfo> Subkeys,
        IReadOnlyList<IdentityRecord> Identities,
        IReadOnlyList<string> Fingerprints,
        IReadOnlyList<string> KeyIds,
        IReadOnlyList<string> ShortKeyIds,
        IReadOnlyList<string> PublishedEmails,
        IReadOnlyList<string> PublishedWords,
        DateTimeOffset FirstSeen,
        DateTimeOffset LastModified);
}
