using System.Security.Cryptography;
using System.Text;
using Keyserver.Core.Keys;
using LiteDB;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// The explicit BSON shape of a <see cref="KeyRecord"/>, in three collections keyed by primary
/// fingerprint: a small lookup document (metadata, identities and the index keys) that queries scan,
/// the published view, and the full key. A query thus reads small documents and only
/// the keys of the page it returns are read whole.
/// Mapped by hand so the core records stay free of storage attributes and a renamed property cannot
/// silently change the file. The three documents of one written version share a random
/// <c>Stamp</c>, so a reader outside the writer lock can tell a consistent set from a torn one.
/// </summary>
internal static class KeyDocuments
{
    public const string LookupCollection = "keys";
    public const string PublishedCollection = "published";
    public const string FullKeyCollection = "fullkeys";

    public const string Fingerprints = "Fingerprints";
    public const string KeyIds = "KeyIds";
    public const string ShortKeyIds = "ShortKeyIds";
    public const string EmailKeys = "EmailKeys";
    public const string WordKeys = "WordKeys";
    public const string UserIdKeys = "UserIdKeys";
    public const string Published = "Published";
    public const string PublishedWords = "PublishedWords";
    public const string PublishedIdentityCount = "PublishedIdentityCount";
    public const string Identities = "Identities";

    private const string Data = "Data";
    private const string Stamp = "Stamp";
    // Set on a published document whose view is the full key itself (every identity published,
    // nothing filtered): its bytes are then stored once, in the full-key document. Files written
    // before this also hold an "Armored" field, which is no longer read (the armor is made on use).
    private const string SameAsFullKey = "SameAsFullKey";

    // LiteDB rejects index keys over 1023 bytes; longer text is indexed by its hash instead, which
    // keeps the lookup exact (the same transformation is applied to the query).
    private const int MaxPlainIndexKeyBytes = 256;

    /// <summary>
    /// The index key for an e-mail address or a search word (the core gives both in lower case),
    /// hashed when long.
    /// </summary>
    public static string TextIndexKey(string text) => Bounded(text);

    /// <summary>
    /// The index key for a user ID: folded to upper case, which is how
    /// <see cref="StringComparison.OrdinalIgnoreCase"/> compares, so that every user ID equal to a
    /// query in that comparison has the query's key. Hashed when long.
    /// </summary>
    public static string UserIdIndexKey(string userId) => Bounded(userId.ToUpperInvariant());

    private static string Bounded(string folded) =>
        Encoding.UTF8.GetByteCount(folded) <= MaxPlainIndexKeyBytes
            ? folded
            : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(folded)));

    public static Guid StampOf(BsonDocument document) => document[Stamp].AsGuid;

    public static BsonDocument ToLookupDocument(KeyRecord record, Guid stamp)
    {
        var publishedIdentities = record.Identities.Where(i => i.State == IdentityState.Published).ToList();
        return new BsonDocument
        {
            ["_id"] = record.Fingerprint,
            [Stamp] = stamp,
            ["Version"] = record.Version,
            [Published] = record.IsPublished,
            ["Primary"] = ToBson(record.Primary),
            ["Subkeys"] = new BsonArray(record.Subkeys.Select(ToBson)),
            [Identities] = new BsonArray(record.Identities.Select(ToBson)),
            [Fingerprints] = Strings(record.Fingerprints),
            [KeyIds] = Strings(record.KeyIds),
            [ShortKeyIds] = Strings(record.ShortKeyIds),
            ["PublishedEmails"] = Strings(record.PublishedEmails),
            [PublishedWords] = Strings(record.PublishedWords),
            [EmailKeys] = IndexKeys(record.PublishedEmails.Select(TextIndexKey)),
            [WordKeys] = IndexKeys(record.PublishedWords.Select(TextIndexKey)),
            [UserIdKeys] = IndexKeys(publishedIdentities.Select(i => UserIdIndexKey(i.UserId))),
            [PublishedIdentityCount] = publishedIdentities.Count,
            ["FirstSeen"] = Time(record.FirstSeen),
            ["LastModified"] = Time(record.LastModified),
        };
    }

    public static BsonDocument ToFullKeyDocument(KeyRecord record, Guid stamp) => new()
    {
        ["_id"] = record.Fingerprint,
        [Stamp] = stamp,
        [Data] = record.FullKey,
    };

    /// <summary>The published view, or null when the key has none.</summary>
    public static BsonDocument? ToPublishedDocument(KeyRecord record, Guid stamp) => record.Published switch
    {
        null => null,
        var view when view.AsSpan().SequenceEqual(record.FullKey) => new BsonDocument
        {
            ["_id"] = record.Fingerprint,
            [Stamp] = stamp,
            [SameAsFullKey] = true,
        },
        var view => new BsonDocument
        {
            ["_id"] = record.Fingerprint,
            [Stamp] = stamp,
            [Data] = view,
        },
    };

    /// <summary>
    /// Reads a record back from its lookup document, its published document (null when not
    /// published) and its full-key document.
    /// </summary>
    public static KeyRecord FromDocuments(BsonDocument lookup, BsonDocument? published, BsonDocument fullKey) => new()
    {
        Fingerprint = lookup["_id"].AsString,
        Version = lookup["Version"].AsInt32,
        FullKey = fullKey[Data].AsBinary,
        Published = published is null ? null : published[SameAsFullKey].IsNull ? published[Data].AsBinary : fullKey[Data].AsBinary,
        Primary = ToKeyInfo(lookup["Primary"].AsDocument),
        Subkeys = lookup["Subkeys"].AsArray.Select(v => ToSubkey(v.AsDocument)).ToList(),
        Identities = lookup[Identities].AsArray.Select(v => ToIdentity(v.AsDocument)).ToList(),
        Fingerprints = ToStrings(lookup[Fingerprints]),
        KeyIds = ToStrings(lookup[KeyIds]),
        ShortKeyIds = ToStrings(lookup[ShortKeyIds]),
        PublishedEmails = ToStrings(lookup["PublishedEmails"]),
        PublishedWords = ToStrings(lookup[PublishedWords]),
        FirstSeen = ToTime(lookup["FirstSeen"]),
        LastModified = ToTime(lookup["LastModified"]),
    };

    private static BsonArray Strings(IEnumerable<string> values) => new(values.Select(v => new BsonValue(v)));

    // Deduplicated so that a multi-key index returns a document once per query value.
    private static BsonArray IndexKeys(IEnumerable<string> keys) =>
        new(keys.Distinct(StringComparer.Ordinal).Select(v => new BsonValue(v)));

    private static List<string> ToStrings(BsonValue value) => value.AsArray.Select(v => v.AsString).ToList();

    // Instants as UTC ticks: BSON dates keep only milliseconds and drop the offset.
    private static BsonValue Time(DateTimeOffset time) => new(time.UtcTicks);

    private static BsonValue Time(DateTimeOffset? time) => time is { } t ? Time(t) : BsonValue.Null;

    private static DateTimeOffset ToTime(BsonValue value) => new(value.AsInt64, TimeSpan.Zero);

    private static DateTimeOffset? ToNullableTime(BsonValue value) => value.IsNull ? null : ToTime(value);

    private static BsonDocument ToBson(KeyInfo info) => new()
    {
        ["Algorithm"] = info.Algorithm,
        ["Bits"] = info.Bits,
        ["Curve"] = info.Curve is null ? BsonValue.Null : new BsonValue(info.Curve),
        ["Created"] = Time(info.Created),
        ["Expires"] = Time(info.Expires),
        ["Revoked"] = ToBson(info.Revoked),
    };

    private static KeyInfo ToKeyInfo(BsonDocument doc) => new(
        doc["Algorithm"].AsInt32,
        doc["Bits"].AsInt32,
        doc["Curve"].IsNull ? null : doc["Curve"].AsString,
        ToTime(doc["Created"]),
        ToNullableTime(doc["Expires"]),
        ToRevocation(doc["Revoked"]));

    private static BsonDocument ToBson(SubkeyInfo subkey) => new()
    {
        ["Fingerprint"] = subkey.Fingerprint,
        ["KeyId"] = subkey.KeyId,
        ["Info"] = ToBson(subkey.Info),
        ["Usage"] = (int)subkey.Usage,
    };

    private static SubkeyInfo ToSubkey(BsonDocument doc) => new(
        doc["Fingerprint"].AsString,
        doc["KeyId"].AsString,
        ToKeyInfo(doc["Info"].AsDocument),
        (KeyUsage)doc["Usage"].AsInt32);

    private static BsonDocument ToBson(IdentityRecord identity) => new()
    {
        ["UserId"] = identity.UserId,
        ["Email"] = identity.Email is null ? BsonValue.Null : new BsonValue(identity.Email),
        ["State"] = (int)identity.State,
        ["Created"] = Time(identity.Created),
        ["Expires"] = Time(identity.Expires),
        ["Revoked"] = ToBson(identity.Revoked),
        ["StateChanged"] = Time(identity.StateChanged),
    };

    public static IdentityRecord ToIdentity(BsonDocument doc) => new(
        doc["UserId"].AsString,
        doc["Email"].IsNull ? null : doc["Email"].AsString,
        (IdentityState)doc["State"].AsInt32,
        ToTime(doc["Created"]),
        ToNullableTime(doc["Expires"]),
        ToRevocation(doc["Revoked"]),
        ToTime(doc["StateChanged"]));

    private static BsonValue ToBson(Revocation? revocation) => revocation is null
        ? BsonValue.Null
        : new BsonDocument
        {
            ["At"] = Time(revocation.At),
            ["ReasonCode"] = revocation.ReasonCode,
            ["ReasonText"] = revocation.ReasonText,
        };

    private static Revocation? ToRevocation(BsonValue value) => value.IsNull
        ? null
        : new Revocation(
            ToTime(value["At"]),
            value["ReasonCode"].AsInt32,
            value["ReasonText"].AsString);
}
