using Keyserver.Core.Admin;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Admin;

/// <summary><see cref="IAdminSessionStore"/> in PostgreSQL: one row per session, keyed by the hash of its key.</summary>
/// <param name="database">The database; the caller keeps owning it.</param>
public sealed class PostgreSqlAdminSessionStore(PostgreSqlDatabase database) : PostgreSqlStore(database), IAdminSessionStore
{
    private const string Columns = "hash, actor, ticket, created, last_seen, expires";

    /// <inheritdoc />
    public Task CreateAsync(AdminSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Database.ExecuteAsync(
            $"INSERT INTO admin_sessions ({Columns}) VALUES (@h, @actor, @ticket, @c, @l, @e) ON CONFLICT (hash) DO UPDATE SET " +
            "actor = EXCLUDED.actor, ticket = EXCLUDED.ticket, created = EXCLUDED.created, last_seen = EXCLUDED.last_seen, expires = EXCLUDED.expires",
            cancellationToken,
            ("h", session.Hash), ("actor", session.Actor), ("ticket", session.Ticket),
            ("c", session.Created.UtcTicks), ("l", session.LastSeen.UtcTicks), ("e", session.Expires.UtcTicks));
    }

    /// <inheritdoc />
    public async Task<AdminSession?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var rows = await Database.QueryAsync($"SELECT {Columns} FROM admin_sessions WHERE hash = @h", ToSession, cancellationToken, ("h", hash))
            .ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<bool> TouchAsync(string hash, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(ticket);
        return await Database.ExecuteAsync(
            "UPDATE admin_sessions SET ticket = @ticket, last_seen = @l, expires = @e WHERE hash = @h",
            cancellationToken, ("h", hash), ("ticket", ticket), ("l", lastSeen.UtcTicks), ("e", expires.UtcTicks)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return await Database.ExecuteAsync("DELETE FROM admin_sessions WHERE hash = @h", cancellationToken, ("h", hash)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Database.ExecuteAsync("DELETE FROM admin_sessions WHERE expires <= @now", cancellationToken, ("now", now.UtcTicks));

    private static AdminSession ToSession(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.Time(3), reader.Time(4), reader.Time(5));
}
