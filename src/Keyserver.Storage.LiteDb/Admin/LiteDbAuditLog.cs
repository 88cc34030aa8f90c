using System.Globalization;
using System.Runtime.CompilerServices;
using Keyserver.Core.Admin;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Admin;

/// <summary>
/// <see cref="IAuditLog"/> in the server's LiteDB file. An entry's id is its time in UTC ticks (19
/// digits) followed by a 6-digit sequence number for entries of the same tick, so the primary key
/// alone orders entries by time and then by append order, and time ranges are key ranges.
/// </summary>
public sealed class LiteDbAuditLog(LiteDbContext context) : LiteDbStore(context), IAuditLog
{
    internal const string Collection = "audit";
    private const int ExportBatchSize = 256;

    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Context.WriteAsync(db =>
        {
            var audit = db.GetCollection(Collection);
            var sequence = 0;
            string id;
            while (audit.FindById(id = IdOf(entry.Time.UtcTicks, sequence)) is not null)
            {
                sequence++;
            }

            return audit.Insert(new BsonDocument
            {
                ["_id"] = id,
                ["actor"] = entry.Actor,
                ["action"] = entry.Action,
                ["fpr"] = entry.Fingerprint is null ? BsonValue.Null : entry.Fingerprint.ToUpperInvariant(),
                ["addr"] = entry.Address is null ? BsonValue.Null : entry.Address.ToLowerInvariant(),
                ["outcome"] = entry.Outcome,
            });
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditPage> QueryAsync(AuditQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var filter = Filter(query, null);
        var (docs, total) = Context.Read(db =>
        {
            var audit = db.GetCollection(Collection);
            var total = audit.Query().Where(filter).Count();
            var docs = audit.Query().Where(filter).OrderByDescending("_id").Skip(offset).Limit(limit).ToList();
            return (docs, total);
        });
        return Task.FromResult(new AuditPage(docs.Select(ToEntry).ToList(), total));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Batches by key range instead of one open cursor, as the key store's scan does: a LiteDB
        // read transaction belongs to a thread, and the consumer may resume this iterator on another.
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var filter = Filter(query, after);
            var batch = Context.Read(db => db.GetCollection(Collection).Query().Where(filter).OrderBy("_id").Limit(ExportBatchSize).ToList());
            foreach (var doc in batch)
            {
                yield return ToEntry(doc);
            }

            if (batch.Count < ExportBatchSize)
            {
                yield break;
            }

            after = batch[^1]["_id"].AsString;
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Context.WriteAsync(db => db.GetCollection(Collection).DeleteMany(Query.LT("_id", IdOf(before.UtcTicks, 0))), cancellationToken);

    private static string IdOf(long ticks, int sequence) =>
        ticks.ToString("D19", CultureInfo.InvariantCulture) + sequence.ToString("D6", CultureInfo.InvariantCulture);

    private static BsonExpression Filter(AuditQuery query, string? after)
    {
        var terms = new List<string>();
        var args = new List<BsonValue>();
        void Add(string term, BsonValue value)
        {
            terms.Add(term.Replace("@", "@" + args.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            args.Add(value);
        }

        if (query.Actor is not null)
        {
            Add("actor = @", query.Actor);
        }

        if (query.Action is not null)
        {
            Add("action = @", query.Action);
        }

        if (query.Target is not null)
        {
            // Fingerprints are stored upper-case and addresses lower-case.
            terms.Add(string.Create(CultureInfo.InvariantCulture, $"(fpr = @{args.Count} OR addr = @{args.Count + 1})"));
            args.Add(query.Target.ToUpperInvariant());
            args.Add(query.Target.ToLowerInvariant());
        }

        // Always a lower bound: LiteDB wants a predicate it can split into terms.
        Add("_id >= @", IdOf(query.From?.UtcTicks ?? 0, 0));

        if (query.Until is { } until)
        {
            Add("_id < @", IdOf(until.UtcTicks, 0));
        }

        if (after is not null)
        {
            Add("_id > @", after);
        }

        return BsonExpression.Create(string.Join(" AND ", terms), [.. args]);
    }

    private static AuditEntry ToEntry(BsonDocument doc)
    {
        var ticks = long.Parse(doc["_id"].AsString.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);
        return new AuditEntry(
            new DateTimeOffset(ticks, TimeSpan.Zero),
            doc["actor"].AsString,
            doc["action"].AsString,
            doc["fpr"].IsNull ? null : doc["fpr"].AsString,
            doc["addr"].IsNull ? null : doc["addr"].AsString,
            doc["outcome"].AsString);
    }
}
