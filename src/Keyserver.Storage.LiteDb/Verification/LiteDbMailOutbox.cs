using Keyserver.Core.Verification;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Verification;

/// <summary>
/// <see cref="IMailOutbox"/> in the server's LiteDB file: one document per queued mail, indexed by
/// when it is due. A sent mail's document is deleted, and with it the clear-text link token.
/// </summary>
public sealed class LiteDbMailOutbox(LiteDbContext context) : LiteDbStore(context, (Collection, "next")), IMailOutbox, IMailOutboxClaims, IMailOutboxTransfer
{
    internal const string Collection = "mail_outbox";

    /// <inheritdoc />
    public async Task<string> EnqueueAsync(MailRequest mail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var id = ObjectId.NewObjectId().ToString();
        var doc = new BsonDocument
        {
            ["_id"] = id,
            ["kind"] = (int)mail.Kind,
            ["to"] = mail.To,
            ["fpr"] = mail.Fingerprint,
            ["uid"] = mail.UserId,
            ["token"] = mail.Token,
            ["expires"] = mail.Expires.UtcTicks,
            ["attempts"] = 0,
            ["next"] = now.UtcTicks,
        };
        await Context.WriteAsync(db => db.GetCollection(Collection).Insert(doc), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<OutboxEntry> due = Context.Read(db => db.GetCollection(Collection).Query()
            .Where(Query.LTE("next", now.UtcTicks))
            .OrderBy("next")
            .Limit(max)
            .ToList())
            .Select(ToEntry)
            .ToList();
        return Task.FromResult(due);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);

        // One process owns the file, and the writer gate makes the read and the lease one step.
        return Context.WriteAsync<IReadOnlyList<OutboxEntry>>(db =>
        {
            var entries = db.GetCollection(Collection);
            var due = entries.Query().Where(Query.LTE("next", now.UtcTicks)).OrderBy("next").Limit(max).ToList();
            var claimed = due.Select(ToEntry).ToList();
            foreach (var doc in due)
            {
                doc["next"] = (now + lease).UtcTicks;
                entries.Update(doc);
            }

            return claimed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task MarkSentAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Context.WriteAsync(db => db.GetCollection(Collection).Delete(id), cancellationToken);
    }

    /// <inheritdoc />
    public Task RescheduleAsync(string id, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Context.WriteAsync(db =>
        {
            var entries = db.GetCollection(Collection);
            if (entries.FindById(id) is not { } doc)
            {
                return false;
            }

            doc["attempts"] = doc["attempts"].AsInt32 + 1;
            doc["next"] = nextAttempt.UtcTicks;
            return entries.Update(doc);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var first = Context.Read(db => db.GetCollection(Collection).Query().OrderBy("next").Limit(1).ToList());
        return Task.FromResult<DateTimeOffset?>(first.Count == 0 ? null : new DateTimeOffset(first[0]["next"].AsInt64, TimeSpan.Zero));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OutboxEntry> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var doc in Context.Read(db => db.GetCollection(Collection).Query().OrderBy("next").ToList()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ToEntry(doc);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task PutAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var doc = new BsonDocument
        {
            ["_id"] = entry.Id,
            ["kind"] = (int)entry.Mail.Kind,
            ["to"] = entry.Mail.To,
            ["fpr"] = entry.Mail.Fingerprint,
            ["uid"] = entry.Mail.UserId,
            ["token"] = entry.Mail.Token,
            ["expires"] = entry.Mail.Expires.UtcTicks,
            ["attempts"] = entry.Attempts,
            ["next"] = entry.NextAttempt.UtcTicks,
        };
        return Context.WriteAsync(db => db.GetCollection(Collection).Upsert(doc), cancellationToken);
    }

    private static OutboxEntry ToEntry(BsonDocument doc) => new(
        doc["_id"].AsString,
        new MailRequest(
            (MailKind)doc["kind"].AsInt32,
            doc["to"].AsString,
            doc["fpr"].IsNull ? null : doc["fpr"].AsString,
            doc["uid"].IsNull ? null : doc["uid"].AsString,
            doc["token"].AsString,
            new DateTimeOffset(doc["expires"].AsInt64, TimeSpan.Zero)),
        doc["attempts"].AsInt32,
        new DateTimeOffset(doc["next"].AsInt64, TimeSpan.Zero));
}
