using Keyserver.Core.Storage;
using LiteDB;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// The one document that holds the key store's <see cref="StoreCounters"/>, rewritten by each write
/// inside its transaction so that the counts and the keys never disagree in the file.
/// </summary>
internal static class CounterDocument
{
    public const string Collection = "counters";
    private const string Id = "keys";

    /// <summary>The counts in the file, or null when the file predates them.</summary>
    public static StoreCounters? Read(LiteDatabase database)
    {
        var doc = database.GetCollection(Collection).FindById(Id);
        return doc is null
            ? null
            : new StoreCounters(
                doc["Keys"].AsInt64, doc["PublishedKeys"].AsInt64, doc["Pending"].AsInt64,
                doc["Published"].AsInt64, doc["Unpublished"].AsInt64, doc["Revoked"].AsInt64);
    }

    public static void Write(LiteDatabase database, StoreCounters counters) =>
        database.GetCollection(Collection).Upsert(new BsonDocument
        {
            ["_id"] = Id,
            ["Keys"] = counters.Keys,
            ["PublishedKeys"] = counters.PublishedKeys,
            ["Pending"] = counters.PendingIdentities,
            ["Published"] = counters.PublishedIdentities,
            ["Unpublished"] = counters.UnpublishedIdentities,
            ["Revoked"] = counters.RevokedIdentities,
        });

    /// <summary>Counts every stored key once (a file written before the counters existed).</summary>
    public static StoreCounters Count(ILiteCollection<BsonDocument> lookups)
    {
        var total = StoreCounters.Empty;
        var projection = BsonExpression.Create($"{{ p: $.{KeyDocuments.Published}, i: $.{KeyDocuments.Identities} }}");
        foreach (var doc in lookups.Query().Select(projection).ToEnumerable())
        {
            total = total.Plus(StoreCounters.Of(doc["p"].AsBoolean, doc["i"].AsArray.Select(i => KeyDocuments.ToIdentity(i.AsDocument).Status)));
        }

        return total;
    }
}
