using Keyserver.Core.Verification;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Verification;

/// <summary>
/// <see cref="IVerificationStore"/> in PostgreSQL: one row per token (keyed by its hash) and one per
/// mail budget. Each check-and-change is one statement, atomic across every instance on the database.
/// Times are UTC ticks.
/// </summary>
public sealed class PostgreSqlVerificationStore(PostgreSqlDatabase database) : PostgreSqlStore(database), IVerificationStore, IVerificationTransfer
{
    /// <inheritdoc />
    public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ExecuteAsync(
            "INSERT INTO verification_tokens (hash, purpose, fingerprint, address, created, expires, used) " +
            "VALUES (@h, @p, @f, @a, @c, @e, @u) ON CONFLICT (hash) DO UPDATE SET purpose = EXCLUDED.purpose, " +
            "fingerprint = EXCLUDED.fingerprint, address = EXCLUDED.address, created = EXCLUDED.created, " +
            "expires = EXCLUDED.expires, used = EXCLUDED.used",
            cancellationToken,
            ("h", token.Hash), ("p", (short)token.Purpose), ("f", token.Fingerprint), ("a", token.Address),
            ("c", token.Created.UtcTicks), ("e", token.Expires.UtcTicks), ("u", token.Used?.UtcTicks));
    }

    /// <inheritdoc />
    public Task<StoredToken?> FindTokenAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT hash, purpose, fingerprint, address, created, expires, used FROM verification_tokens WHERE hash = @h", connection);
            command.Parameters.AddWithValue("h", Storable(hash));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return ToToken(reader);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryMarkUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var changed = await ExecuteAsync(
            "UPDATE verification_tokens SET used = @now WHERE hash = @h AND used IS NULL",
            cancellationToken, ("h", Storable(hash)), ("now", now.UtcTicks)).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async Task<bool> TryReserveMailAsync(string scope, string key, DateTimeOffset now, TimeSpan window, int max = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);

        // One statement: the row lock of the upsert makes the check and the count atomic. A window
        // that has run out starts again at this reservation; a full one leaves the row as it is and
        // returns no row.
        var changed = await ExecuteAsync(
            "INSERT INTO verification_mail_throttle (id, at, n) VALUES (@id, @now, 1) " +
            "ON CONFLICT (id) DO UPDATE SET " +
            "at = CASE WHEN verification_mail_throttle.at > @start THEN verification_mail_throttle.at ELSE @now END, " +
            "n = CASE WHEN verification_mail_throttle.at > @start THEN verification_mail_throttle.n + 1 ELSE 1 END " +
            "WHERE verification_mail_throttle.at <= @start OR verification_mail_throttle.n < @max",
            cancellationToken,
            ("id", Storable(scope + "\n" + key)), ("now", now.UtcTicks), ("start", (now - window).UtcTicks), ("max", max)).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async Task<int> PurgeAsync(DateTimeOffset expiredBefore, DateTimeOffset mailedBefore, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM verification_tokens WHERE expires < @e", cancellationToken, ("e", expiredBefore.UtcTicks)).ConfigureAwait(false)
        + await ExecuteAsync("DELETE FROM verification_mail_throttle WHERE at < @m", cancellationToken, ("m", mailedBefore.UtcTicks)).ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredToken> ScanTokensAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT hash, purpose, fingerprint, address, created, expires, used FROM verification_tokens ORDER BY hash", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToToken(reader);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MailBudget> ScanMailBudgetsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT id, at, n FROM verification_mail_throttle ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var split = id.IndexOf('\n', StringComparison.Ordinal);
            yield return new MailBudget(
                split < 0 ? id : id[..split], split < 0 ? "" : id[(split + 1)..], Time(reader.GetInt64(1)), reader.GetInt32(2));
        }
    }

    /// <inheritdoc />
    public Task PutMailBudgetAsync(MailBudget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return ExecuteAsync(
            "INSERT INTO verification_mail_throttle (id, at, n) VALUES (@id, @at, @n) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at, n = EXCLUDED.n",
            cancellationToken, ("id", Storable(budget.Scope + "\n" + budget.Key)), ("at", budget.At.UtcTicks), ("n", budget.Count));
    }

    private static StoredToken ToToken(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (TokenPurpose)reader.GetInt16(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        Time(reader.GetInt64(4)),
        Time(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : Time(reader.GetInt64(6)));

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    // PostgreSQL text cannot hold NUL; keys and hashes never contain one, so a hostile value is hashed
    // instead of failing the statement.
    private static string Storable(string value) => value.Contains('\0', StringComparison.Ordinal) ? KeyRows.Term(value) : value;

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
