using Keyserver.Core.Verification;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Verification;

/// <summary>
/// <see cref="IMailOutbox"/> in PostgreSQL, shared by every instance on the database. Senders claim
/// due entries with <c>FOR UPDATE SKIP LOCKED</c> and lease them (<see cref="IMailOutboxClaims"/>), so
/// each mail goes to one sender, and the mail of an instance that died is taken again when its lease
/// runs out. A sent mail's row is deleted, and with it the clear-text link token.
/// </summary>
public sealed class PostgreSqlMailOutbox(PostgreSqlDatabase database) : PostgreSqlStore(database), IMailOutbox, IMailOutboxClaims, IMailOutboxTransfer
{
    private const string Columns = "id, kind, to_address, fingerprint, user_id, token, expires, attempts, next";

    /// <inheritdoc />
    public Task<string> EnqueueAsync(MailRequest mail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var id = Guid.CreateVersion7(now).ToString("N");
        return Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO mail_outbox (id, kind, to_address, fingerprint, user_id, token, expires, attempts, next) " +
                "VALUES (@id, @kind, @to, @f, @u, @token, @e, 0, @next)",
                connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("kind", (short)mail.Kind);
            command.Parameters.AddWithValue("to", mail.To);
            command.Parameters.AddWithValue("f", (object?)mail.Fingerprint ?? DBNull.Value);
            command.Parameters.AddWithValue("u", (object?)mail.UserId ?? DBNull.Value);
            command.Parameters.AddWithValue("token", mail.Token);
            command.Parameters.AddWithValue("e", mail.Expires.UtcTicks);
            command.Parameters.AddWithValue("next", now.UtcTicks);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return id;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return QueryAsync(
            $"SELECT {Columns} FROM mail_outbox WHERE next <= @now ORDER BY next, seq LIMIT @max",
            cancellationToken, ("now", now.UtcTicks), ("max", max));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);

        // Rows another sender is claiming right now are skipped, not waited for: its claim wins.
        var claimed = await QueryAsync(
            "WITH due AS (SELECT id, next, seq FROM mail_outbox WHERE next <= @now ORDER BY next, seq LIMIT @max FOR UPDATE SKIP LOCKED) " +
            "UPDATE mail_outbox m SET next = @until FROM due WHERE m.id = due.id " +
            "RETURNING m.id, m.kind, m.to_address, m.fingerprint, m.user_id, m.token, m.expires, m.attempts, due.next, due.seq",
            cancellationToken, ("now", now.UtcTicks), ("max", max), ("until", (now + lease).UtcTicks)).ConfigureAwait(false);
        return claimed;
    }

    /// <inheritdoc />
    public async Task MarkSentAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await ExecuteAsync("DELETE FROM mail_outbox WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RescheduleAsync(string id, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await ExecuteAsync(
            "UPDATE mail_outbox SET attempts = attempts + 1, next = @next WHERE id = @id",
            cancellationToken, ("id", id), ("next", nextAttempt.UtcTicks)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT min(next) FROM mail_outbox", connection);
            var next = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return next is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<OutboxEntry> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM mail_outbox ORDER BY next, seq", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToEntry(reader);
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO mail_outbox (id, kind, to_address, fingerprint, user_id, token, expires, attempts, next) " +
                "VALUES (@id, @kind, @to, @f, @u, @token, @e, @attempts, @next) ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, " +
                "to_address = EXCLUDED.to_address, fingerprint = EXCLUDED.fingerprint, user_id = EXCLUDED.user_id, token = EXCLUDED.token, " +
                "expires = EXCLUDED.expires, attempts = EXCLUDED.attempts, next = EXCLUDED.next",
                connection);
            command.Parameters.AddWithValue("id", entry.Id);
            command.Parameters.AddWithValue("kind", (short)entry.Mail.Kind);
            command.Parameters.AddWithValue("to", entry.Mail.To);
            command.Parameters.AddWithValue("f", (object?)entry.Mail.Fingerprint ?? DBNull.Value);
            command.Parameters.AddWithValue("u", (object?)entry.Mail.UserId ?? DBNull.Value);
            command.Parameters.AddWithValue("token", entry.Mail.Token);
            command.Parameters.AddWithValue("e", entry.Mail.Expires.UtcTicks);
            command.Parameters.AddWithValue("attempts", entry.Attempts);
            command.Parameters.AddWithValue("next", entry.NextAttempt.UtcTicks);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task<IReadOnlyList<OutboxEntry>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var entries = new List<(OutboxEntry Entry, long Seq)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add((ToEntry(reader), reader.FieldCount > 9 ? reader.GetInt64(9) : entries.Count));
            }

            // RETURNING gives no order: earliest first, then in queue order.
            return (IReadOnlyList<OutboxEntry>)entries.OrderBy(e => e.Entry.NextAttempt).ThenBy(e => e.Seq).Select(e => e.Entry).ToList();
        }, cancellationToken);

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static OutboxEntry ToEntry(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        new MailRequest(
            (MailKind)reader.GetInt16(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetString(5),
            new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero)),
        reader.GetInt32(7),
        new DateTimeOffset(reader.GetInt64(8), TimeSpan.Zero));
}
