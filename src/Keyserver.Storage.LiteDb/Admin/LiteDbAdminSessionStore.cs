using Keyserver.Core.Admin;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Admin;

/// <summary>
/// <see cref="IAdminSessionStore"/> in the server's LiteDB file: one document per session, keyed by
/// the hash of its session key and indexed by expiry for the purge. Times are UTC ticks.
/// </summary>
public sealed class LiteDbAdminSessionStore(LiteDbContext context) : LiteDbStore(context, (Collection, "expires")), IAdminSessionStore
{
    internal const string Collection = "admin_sessions";

    /// <inheritdoc />
    public Task CreateAsync(AdminSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var doc = new BsonDocument
        {
            ["_id"] = session.Hash,
            ["actor"] = session.Actor,
            ["ticket"] = session.Ticket,
            ["created"] = session.Created.UtcTicks,
            ["seen"] = session.LastSeen.UtcTicks,
            ["expires"] = session.Expires.UtcTicks,
        };
        return Context.WriteAsync(db => db.GetCollection(Collection).Upsert(doc), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AdminSession?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return FindByIdAsync(Collection, hash, ToSession, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TouchAsync(string hash, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(ticket);
        return Context.WriteAsync(db =>
        {
            var sessions = db.GetCollection(Collection);
            if (sessions.FindById(hash) is not { } doc)
            {
                return false;
            }

            doc["ticket"] = ticket;
            doc["seen"] = lastSeen.UtcTicks;
            doc["expires"] = expires.UtcTicks;
            return sessions.Update(doc);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Context.WriteAsync(db => db.GetCollection(Collection).Delete(hash), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Context.WriteAsync(db => db.GetCollection(Collection).DeleteMany(Query.LTE("expires", now.UtcTicks)), cancellationToken);

    private static AdminSession ToSession(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["actor"].AsString,
        doc["ticket"].AsBinary,
        new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(doc["seen"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(doc["expires"].AsInt64, TimeSpan.Zero));
}
