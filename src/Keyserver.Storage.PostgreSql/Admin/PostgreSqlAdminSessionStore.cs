using Keyserver.Core.Admin;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Admin;

/// <summary><see cref="IAdminSessionStore"/> in PostgreSQL: one row per session, keyed by the hash of its key.</summary>
public sealed class PostgreSqlAdminSessionStore : IAdminSessionStore
{
    private const string Columns = "hash, actor, ticket, created, last_seen, expires";

    private readonly PostgreSqlDatabase _database;

    /// <summary>Works on <paramref name="database"/>, creating or migrating its schema now; the caller keeps owning it.</summary>
    public PostgreSqlAdminSessionStore(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.EnsureSchema();
    }

    /// <inheritdoc />
    public Task CreateAsync(AdminSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _database.ExecuteAsync(
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
        var rows = await _database.QueryAsync($"SELECT {Columns} FROM admin_sessions WHERE hash = @h", ToSession, cancellationToken, ("h", hash))
            .ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<bool> TouchAsync(string hash, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(ticket);
        return await _database.ExecuteAsync(
            "UPDATE admin_sessions SET ticket = @ticket, last_seen = @l, expires = @e WHERE hash = @h",
            cancellationToken, ("h", hash), ("ticket", ticket), ("l", lastSeen.UtcTicks), ("e", expires.UtcTicks)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return await _database.ExecuteAsync("DELETE FROM admin_sessions WHERE hash = @h", cancellationToken, ("h", hash)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.ExecuteAsync("DELETE FROM admin_sessions WHERE expires <= @now", cancellationToken, ("now", now.UtcTicks));

    private static AdminSession ToSession(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.Time(3), reader.Time(4), reader.Time(5));
}
