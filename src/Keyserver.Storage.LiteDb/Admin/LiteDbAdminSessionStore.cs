using Keyserver.Core.Admin;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Admin;

/// <summary>
/// <see cref="IAdminSessionStore"/> in the server's LiteDB file: one document per session, keyed by
/// the hash of its session key and indexed by expiry for the purge. Times are UTC ticks.
/// </summary>
public sealed class LiteDbAdminSessionStore : IAdminSessionStore
{
    internal const string Collection = "admin_sessions";

    private readonly LiteDbContext _context;

    /// <summary>Creates the store in <paramref name="context"/>'s file; the caller keeps owning the context.</summary>
    public LiteDbAdminSessionStore(LiteDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _context.WriteAsync(db => db.GetCollection(Collection).EnsureIndex("expires")).GetAwaiter().GetResult();
    }

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
        return _context.WriteAsync(db => db.GetCollection(Collection).Upsert(doc), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AdminSession?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        cancellationToken.ThrowIfCancellationRequested();
        var doc = _context.Read(db => db.GetCollection(Collection).FindById(hash));
        return Task.FromResult(doc is null ? null : ToSession(doc));
    }

    /// <inheritdoc />
    public Task<bool> TouchAsync(string hash, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(ticket);
        return _context.WriteAsync(db =>
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
        return _context.WriteAsync(db => db.GetCollection(Collection).Delete(hash), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _context.WriteAsync(db => db.GetCollection(Collection).DeleteMany(Query.LTE("expires", now.UtcTicks)), cancellationToken);

    private static AdminSession ToSession(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["actor"].AsString,
        doc["ticket"].AsBinary,
        new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(doc["seen"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(doc["expires"].AsInt64, TimeSpan.Zero));
}
