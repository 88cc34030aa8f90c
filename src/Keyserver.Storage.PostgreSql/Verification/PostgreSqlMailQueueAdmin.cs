using Keyserver.Core.Verification;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Verification;

/// <summary>
/// <see cref="IMailQueueAdmin"/> over the rows of <see cref="PostgreSqlMailOutbox"/>: the last
/// delivery error is one more column of an entry's row. The link token is never read out.
/// </summary>
/// <param name="database">The database; the caller keeps owning it.</param>
public sealed class PostgreSqlMailQueueAdmin(PostgreSqlDatabase database) : PostgreSqlStore(database), IMailQueueAdmin
{
    // Delivery errors can be long (an SMTP transcript); the console needs the first line or so.
    private const int MaxErrorLength = 500;

    /// <inheritdoc />
    public async Task<IReadOnlyList<MailQueueEntry>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return await Database.QueryAsync(
            "SELECT id, kind, to_address, fingerprint, attempts, next, expires, last_error FROM mail_outbox ORDER BY next, seq LIMIT @max",
            ToEntry, cancellationToken, ("max", (long)max)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RetryNowAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await Database.ExecuteAsync("UPDATE mail_outbox SET next = @now WHERE id = @id", cancellationToken, ("id", id), ("now", now.UtcTicks))
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DropAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await Database.ExecuteAsync("DELETE FROM mail_outbox WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task RecordErrorAsync(string id, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(error);
        var kept = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        return Database.ExecuteAsync("UPDATE mail_outbox SET last_error = @error WHERE id = @id", cancellationToken, ("id", id), ("error", kept));
    }

    private static MailQueueEntry ToEntry(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (MailKind)reader.GetInt16(1),
        reader.GetString(2),
        reader.NullableString(3),
        reader.GetInt32(4),
        reader.Time(5),
        reader.Time(6),
        reader.NullableString(7));
}
