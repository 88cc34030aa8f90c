using System.Runtime.CompilerServices;
using System.Text;
using Keyserver.Core.Admin;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Admin;

/// <summary>
/// <see cref="IAuditLog"/> in PostgreSQL: one row per entry, ordered by time and then by a sequence
/// number, so entries of the same time keep their append order. Fingerprints are kept upper case
/// and addresses lower case, so the case-insensitive target filter is an exact comparison.
/// </summary>
/// <param name="database">The database; the caller keeps owning it.</param>
public sealed class PostgreSqlAuditLog(PostgreSqlDatabase database) : PostgreSqlStore(database), IAuditLog
{
    private const string Columns = "time, actor, action, fingerprint, address, outcome";
    private const int ExportBatchSize = 256;

    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Database.ExecuteAsync(
            $"INSERT INTO audit_log ({Columns}) VALUES (@time, @actor, @action, @f, @a, @outcome)",
            cancellationToken,
            ("time", entry.Time.UtcTicks), ("actor", entry.Actor), ("action", entry.Action),
            ("f", entry.Fingerprint?.ToUpperInvariant()), ("a", entry.Address?.ToLowerInvariant()), ("outcome", entry.Outcome));
    }

    /// <inheritdoc />
    public async Task<AuditPage> QueryAsync(AuditQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (where, parameters) = Filter(query);
        var total = Convert.ToInt32(
            await Database.ScalarAsync($"SELECT count(*) FROM audit_log WHERE {where}", cancellationToken, parameters).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
        var entries = await Database.QueryAsync(
            $"SELECT {Columns} FROM audit_log WHERE {where} ORDER BY time DESC, seq DESC OFFSET @offset LIMIT @limit",
            ToEntry, cancellationToken, [.. parameters, ("offset", (long)offset), ("limit", (long)limit)]).ConfigureAwait(false);
        return new AuditPage(entries, total);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, parameters) = Filter(query);

        // Batches by key range on (time, seq), so no connection stays open while the consumer works.
        (long Time, long Seq) after = (long.MinValue, 0);
        while (true)
        {
            var batch = await Database.QueryAsync(
                $"SELECT {Columns}, seq FROM audit_log WHERE {where} AND (time, seq) > (@at, @as) ORDER BY time, seq LIMIT {ExportBatchSize}",
                reader => (Entry: ToEntry(reader), Seq: reader.GetInt64(6)),
                cancellationToken, [.. parameters, ("at", after.Time), ("as", after.Seq)]).ConfigureAwait(false);
            foreach (var (entry, _) in batch)
            {
                yield return entry;
            }

            if (batch.Count < ExportBatchSize)
            {
                yield break;
            }

            after = (batch[^1].Entry.Time.UtcTicks, batch[^1].Seq);
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Database.ExecuteAsync("DELETE FROM audit_log WHERE time < @before", cancellationToken, ("before", before.UtcTicks));

    private static (string Where, (string, object?)[] Parameters) Filter(AuditQuery query)
    {
        var where = new StringBuilder("TRUE");
        var parameters = new List<(string, object?)>();
        if (query.Actor is { } actor)
        {
            where.Append(" AND actor = @actor");
            parameters.Add(("actor", actor));
        }

        if (query.Action is { } action)
        {
            where.Append(" AND action = @action");
            parameters.Add(("action", action));
        }

        if (query.Target is { } target)
        {
            where.Append(" AND (fingerprint = @tf OR address = @ta)");
            parameters.Add(("tf", target.ToUpperInvariant()));
            parameters.Add(("ta", target.ToLowerInvariant()));
        }

        if (query.From is { } from)
        {
            where.Append(" AND time >= @from");
            parameters.Add(("from", from.UtcTicks));
        }

        if (query.Until is { } until)
        {
            where.Append(" AND time < @until");
            parameters.Add(("until", until.UtcTicks));
        }

        return (where.ToString(), parameters.ToArray());
    }

    private static AuditEntry ToEntry(NpgsqlDataReader reader) =>
        new(reader.Time(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3), reader.NullableString(4), reader.GetString(5));
}
