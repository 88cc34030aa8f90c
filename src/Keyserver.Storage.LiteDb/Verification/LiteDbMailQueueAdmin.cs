using Keyserver.Core.Verification;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Verification;

/// <summary>
/// <see cref="IMailQueueAdmin"/> over the documents of <see cref="LiteDbMailOutbox"/> in the same
/// file: the last delivery error is one more field of an entry's document. The link token is never
/// read out.
/// </summary>
public sealed class LiteDbMailQueueAdmin(LiteDbContext context) : LiteDbStore(context), IMailQueueAdmin
{
    // Delivery errors can be long (an SMTP transcript); the console needs the first line or so.
    private const int MaxErrorLength = 500;

    /// <inheritdoc />
    public Task<IReadOnlyList<MailQueueEntry>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<MailQueueEntry> entries = Context.Read(db => db.GetCollection(LiteDbMailOutbox.Collection).Query()
            .OrderBy("next")
            .Limit(max)
            .ToList())
            .Select(ToEntry)
            .ToList();
        return Task.FromResult(entries);
    }

    /// <inheritdoc />
    public Task<bool> RetryNowAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Context.WriteAsync(db =>
        {
            var entries = db.GetCollection(LiteDbMailOutbox.Collection);
            if (entries.FindById(id) is not { } doc)
            {
                return false;
            }

            doc["next"] = now.UtcTicks;
            return entries.Update(doc);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DropAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Context.WriteAsync(db => db.GetCollection(LiteDbMailOutbox.Collection).Delete(id), cancellationToken);
    }

    /// <inheritdoc />
    public Task RecordErrorAsync(string id, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(error);
        var kept = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        return Context.WriteAsync(db =>
        {
            var entries = db.GetCollection(LiteDbMailOutbox.Collection);
            if (entries.FindById(id) is not { } doc)
            {
                return false;
            }

            doc["error"] = kept;
            return entries.Update(doc);
        }, cancellationToken);
    }

    private static MailQueueEntry ToEntry(BsonDocument doc) => new(
        doc["_id"].AsString,
        (MailKind)doc["kind"].AsInt32,
        doc["to"].AsString,
        doc["fpr"].IsNull ? null : doc["fpr"].AsString,
        doc["attempts"].AsInt32,
        new DateTimeOffset(doc["next"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(doc["expires"].AsInt64, TimeSpan.Zero),
        doc["error"].IsNull ? null : doc["error"].AsString);
}
