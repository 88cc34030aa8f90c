using System.Runtime.CompilerServices;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Keyserver.Storage.PostgreSql;

/// <summary>
/// <see cref="IKeyStore"/> on a PostgreSQL database that several server instances may share. A key is
/// a small <c>keys</c> row (metadata as JSON), its lookup terms in <c>key_terms</c> (one B-tree over
/// kind and term answers every search kind), its published view in <c>key_published</c> and its full
/// key in <c>key_full</c>; a query reads the terms and only the keys of the page it returns.
/// Writes of one key are serialised across instances by a transaction-level advisory lock on its
/// fingerprint (see docs/architecture.md), so concurrent uploads merge and none is lost.
/// There is no lookup cache: another instance's write would have to reach it (see docs/operations.md).
/// </summary>
public sealed class PostgreSqlKeyStore : IKeyStore
{
    private const int ScanBatchSize = 64;

    // Longer than any fingerprint (64 hex digits for v6): such a query cannot match.
    internal const int MaxHexQueryLength = 64;

    private const string SelectRecord =
        "SELECT k.fingerprint, k.version, k.meta, f.data, p.data FROM keys k " +
        "JOIN key_full f ON f.fingerprint = k.fingerprint LEFT JOIN key_published p ON p.fingerprint = k.fingerprint ";

    private readonly PostgreSqlDatabase _database;

    /// <summary>Creates the store on <paramref name="database"/>, creating or migrating its schema now.</summary>
    public PostgreSqlKeyStore(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.EnsureSchema();
    }

    /// <inheritdoc />
    public async Task<KeyRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var found = await _database.RunAsync(c => ReadAsync(c, null, [fingerprint], publishedOnly: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        return found.GetValueOrDefault(fingerprint);
    }

    /// <inheritdoc />
    public Task<KeyPage> FindAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        return _database.RunAsync(async connection =>
        {
            var found = await FindPublishedFingerprintsAsync(connection, query, cancellationToken).ConfigureAwait(false);
            var capped = found.Count > KeyPage.MaxMatches;
            var matches = capped ? found[..KeyPage.MaxMatches] : found;
            var wanted = matches.Skip(offset).Take(limit).ToList();
            var records = wanted.Count == 0
                ? new Dictionary<string, KeyRecord>()
                : await ReadAsync(connection, null, wanted, publishedOnly: true, cancellationToken).ConfigureAwait(false);

            // A record deleted or unpublished between the two reads is left out of the page.
            var page = wanted.Select(f => records.GetValueOrDefault(f)).OfType<KeyRecord>().ToList();
            return new KeyPage(page, matches.Count) { TotalIsLowerBound = capped };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<WriteOutcome> UpdateAsync(string fingerprint, Func<KeyRecord?, KeyRecord?> change, CancellationToken cancellationToken = default)
    {
        var outcomes = await UpdateManyAsync([new KeyChange(fingerprint, change)], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(IReadOnlyList<KeyChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change);
            ArgumentException.ThrowIfNullOrEmpty(change.Fingerprint);
            ArgumentNullException.ThrowIfNull(change.Change);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (changes.Count == 0)
        {
            return [];
        }

        return await _database.RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var fingerprints = changes.Select(c => c.Fingerprint).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            await LockAsync(connection, transaction, fingerprints, cancellationToken).ConfigureAwait(false);
            var stored = await ReadAsync(connection, transaction, fingerprints, publishedOnly: false, cancellationToken).ConfigureAwait(false);

            // Each fingerprint's state as the batch goes along: later changes see earlier ones, and
            // only the final state is written.
            var current = fingerprints.ToDictionary(f => f, f => stored.GetValueOrDefault(f), StringComparer.Ordinal);
            var outcomes = new List<WriteOutcome>(changes.Count);
            foreach (var (fingerprint, change) in changes)
            {
                var before = current[fingerprint];
                var after = change(before);
                if (after is not null && !string.Equals(after.Fingerprint, fingerprint, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The change for key {fingerprint} returned a record for key {after.Fingerprint}.");
                }

                current[fingerprint] = after;
                outcomes.Add(WriteOutcomes.Of(before, after));
            }

            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var (fingerprint, final) in current)
            {
                var original = stored.GetValueOrDefault(fingerprint);
                if (!ReferenceEquals(final, original))
                {
                    AddWrite(batch, fingerprint, original, final);
                }
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<WriteOutcome>)outcomes;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyRecord> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Batches by key range instead of one long-lived cursor: no connection is held between batches.
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = after;
            var batch = await _database.RunAsync(async connection =>
            {
                await using var command = new NpgsqlCommand(
                    SelectRecord + "WHERE (@after::text IS NULL OR k.fingerprint > @after) ORDER BY k.fingerprint LIMIT " + ScanBatchSize,
                    connection);
                command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)from ?? DBNull.Value });
                return await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);

            foreach (var record in batch)
            {
                yield return record;
            }

            if (batch.Count < ScanBatchSize)
            {
                yield break;
            }

            after = batch[^1].Fingerprint;
        }
    }

    /// <inheritdoc />
    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*)::int, (count(*) FILTER (WHERE published))::int, coalesce(sum(published_identities), 0)::int FROM keys",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new StoreStatistics(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
        }, cancellationToken);
    }

    // Transaction-level advisory locks, taken in fingerprint order so that two batches never wait on
    // each other in a cycle. A row lock (SELECT ... FOR UPDATE) cannot lock a key that does not exist
    // yet; this lock covers the first upload of a key as well as later ones.
    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> fingerprints, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var fingerprint in fingerprints)
        {
            var command = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
            command.Parameters.AddWithValue("key", PostgreSqlDatabase.StableHash("key:" + fingerprint));
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddWrite(NpgsqlBatch batch, string fingerprint, KeyRecord? original, KeyRecord? final)
    {
        if (final is null)
        {
            // The published view, full key and terms go with the row (ON DELETE CASCADE).
            batch.BatchCommands.Add(Command("DELETE FROM keys WHERE fingerprint = @f", ("f", fingerprint)));
            return;
        }

        batch.BatchCommands.Add(Command(
            "INSERT INTO keys (fingerprint, version, published, published_identities, meta) VALUES (@f, @v, @p, @n, @m) " +
            "ON CONFLICT (fingerprint) DO UPDATE SET version = EXCLUDED.version, published = EXCLUDED.published, " +
            "published_identities = EXCLUDED.published_identities, meta = EXCLUDED.meta",
            ("f", fingerprint), ("v", final.Version), ("p", final.IsPublished), ("n", KeyRows.PublishedIdentityCount(final)), ("m", KeyRows.ToMeta(final))));
        batch.BatchCommands.Add(Command(
            "INSERT INTO key_full (fingerprint, data) VALUES (@f, @d) ON CONFLICT (fingerprint) DO UPDATE SET data = EXCLUDED.data",
            ("f", fingerprint), ("d", final.FullKey)));
        if (final.Published is { } published)
        {
            // The armor is made when served (KeyRecord.PublishedArmored): the column schema 0001 has
            // for it is left empty, and emptied when a key stored with one is written again.
            batch.BatchCommands.Add(Command(
                "INSERT INTO key_published (fingerprint, data) VALUES (@f, @d) " +
                "ON CONFLICT (fingerprint) DO UPDATE SET data = EXCLUDED.data, armored = NULL",
                ("f", fingerprint), ("d", published)));
        }
        else if (original is { IsPublished: true })
        {
            batch.BatchCommands.Add(Command("DELETE FROM key_published WHERE fingerprint = @f", ("f", fingerprint)));
        }

        if (original is not null)
        {
            batch.BatchCommands.Add(Command("DELETE FROM key_terms WHERE fingerprint = @f", ("f", fingerprint)));
        }

        var terms = KeyRows.TermsOf(final);
        var insert = new NpgsqlBatchCommand(
            "INSERT INTO key_terms (kind, term, fingerprint) SELECT kind, term, @f FROM unnest(@kinds, @terms) AS t (kind, term)");
        insert.Parameters.AddWithValue("f", fingerprint);
        insert.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = terms.Select(t => t.Kind).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = terms.Select(t => t.Term).ToArray() });
        batch.BatchCommands.Add(insert);
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    internal static async Task<Dictionary<string, KeyRecord>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<string> fingerprints, bool publishedOnly, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            SelectRecord + "WHERE k.fingerprint = ANY(@f)" + (publishedOnly ? " AND k.published" : ""), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fingerprints.Where(IsStorable).ToArray() });
        var records = await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
        return records.ToDictionary(r => r.Fingerprint, StringComparer.Ordinal);
    }

    private static async Task<List<KeyRecord>> ReadRecordsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<KeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(KeyRows.ToRecord(
                reader.GetString(0),
                reader.GetInt32(1),
                KeyRows.FromMeta(reader.GetString(2)),
                reader.GetFieldValue<byte[]>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4)));
        }

        return records;
    }

    // PostgreSQL text cannot hold NUL: no stored fingerprint contains one, so such a value matches nothing.
    private static bool IsStorable(string value) => !value.Contains('\0', StringComparison.Ordinal);

    /// <summary>Sorted primary fingerprints of the published keys matching <paramref name="query"/>.</summary>
    private static Task<List<string>> FindPublishedFingerprintsAsync(NpgsqlConnection connection, KeyQuery query, CancellationToken cancellationToken) => query switch
    {
        KeyQuery.ByFingerprint q => FindByTermAsync(connection, KeyRows.FingerprintTerm, HexTerm(q.Fingerprint), cancellationToken),
        KeyQuery.ByKeyId q => FindByTermAsync(connection, KeyRows.KeyIdTerm, HexTerm(q.KeyId), cancellationToken),
        KeyQuery.ByShortKeyId q => FindByTermAsync(connection, KeyRows.ShortKeyIdTerm, HexTerm(q.ShortKeyId), cancellationToken),
        KeyQuery.ByEmail q => FindByTermAsync(connection, KeyRows.EmailTerm, NonEmptyTerm(q.Email), cancellationToken),
        KeyQuery.ByWords q => FindByWordsAsync(connection, q.Words, cancellationToken),
        KeyQuery.ByUserId q => FindByUserIdAsync(connection, q.UserId, anyState: false, cancellationToken),
        _ => throw new ArgumentException($"Unknown query kind {query.GetType().Name}.", nameof(query)),
    };

    private static string? HexTerm(string value) => value.Length is > 0 and <= MaxHexQueryLength ? KeyRows.Term(value) : null;

    private static string? NonEmptyTerm(string value) => value.Length > 0 ? KeyRows.Term(value) : null;

    private static async Task<List<string>> FindByTermAsync(NpgsqlConnection connection, short kind, string? term, CancellationToken cancellationToken)
    {
        if (term is null)
        {
            return [];
        }

        // One more than the bound: FindAsync tells a capped answer by its length.
        await using var command = new NpgsqlCommand(
            "SELECT k.fingerprint FROM key_terms t JOIN keys k ON k.fingerprint = t.fingerprint " +
            $"WHERE t.kind = @kind AND t.term = @term AND k.published ORDER BY t.fingerprint LIMIT {KeyPage.MaxMatches + 1}",
            connection);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("term", term);
        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<string>> FindByWordsAsync(NpgsqlConnection connection, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var terms = words.Where(w => w.Length > 0).Select(KeyRows.Term).Distinct(StringComparer.Ordinal).ToArray();
        if (terms.Length == 0 || terms.Length != words.Distinct(StringComparer.Ordinal).Count())
        {
            // An empty word matches nothing, so neither does a query that must match all its words.
            return [];
        }

        // The rarest word drives the scan in fingerprint order and the others are checked per key,
        // so a common word beside a rare one ("org alice") reads few entries, and a query of common
        // words only stops at the bound.
        var driver = await RarestWordAsync(connection, terms, cancellationToken).ConfigureAwait(false);
        var others = terms.Where(t => !string.Equals(t, driver, StringComparison.Ordinal)).ToArray();
        await using var command = new NpgsqlCommand(
            "SELECT k.fingerprint FROM key_terms t JOIN keys k ON k.fingerprint = t.fingerprint " +
            "WHERE t.kind = @kind AND t.term = @driver AND k.published " +
            "AND NOT EXISTS (SELECT 1 FROM unnest(@others) o(term) WHERE NOT EXISTS (" +
            "SELECT 1 FROM key_terms w WHERE w.kind = @kind AND w.term = o.term AND w.fingerprint = t.fingerprint)) " +
            $"ORDER BY t.fingerprint LIMIT {KeyPage.MaxMatches + 1}",
            connection);
        command.Parameters.AddWithValue("kind", KeyRows.WordTerm);
        command.Parameters.AddWithValue("driver", driver);
        command.Parameters.Add(new NpgsqlParameter("others", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = others });
        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static Task<string> RarestWordAsync(NpgsqlConnection connection, string[] terms, CancellationToken cancellationToken) =>
        RarestWord.FindAsync(terms, async (term, bound) =>
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM (SELECT 1 FROM key_terms WHERE kind = @kind AND term = @term LIMIT @bound) s", connection);
            count.Parameters.AddWithValue("kind", KeyRows.WordTerm);
            count.Parameters.AddWithValue("term", term);
            count.Parameters.AddWithValue("bound", (long)bound);
            return (int)(long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        });

    /// <summary>
    /// Sorted primary fingerprints of the keys with an identity equal to <paramref name="userId"/>
    /// (ignoring case): published identities of published keys, or with <paramref name="anyState"/>
    /// every identity of every key (the admin search).
    /// </summary>
    internal static async Task<List<string>> FindByUserIdAsync(NpgsqlConnection connection, string userId, bool anyState, CancellationToken cancellationToken)
    {
        if (userId.Length == 0)
        {
            return [];
        }

        // The term narrows to the keys whose folded user ID (or its hash) is the query's; the exact
        // comparison on the identities decides.
        await using var command = new NpgsqlCommand(
            "SELECT k.fingerprint, k.meta FROM key_terms t JOIN keys k ON k.fingerprint = t.fingerprint " +
            "WHERE t.kind = @kind AND t.term = @term" + (anyState ? "" : " AND k.published") + " ORDER BY k.fingerprint",
            connection);
        command.Parameters.AddWithValue("kind", anyState ? KeyRows.AnyUserIdTerm : KeyRows.UserIdTerm);
        command.Parameters.AddWithValue("term", KeyRows.UserIdTermOf(userId));
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var meta = KeyRows.FromMeta(reader.GetString(1));
            if (meta.Identities.Any(i => (anyState || i.State == IdentityState.Published) && string.Equals(i.UserId, userId, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(reader.GetString(0));
            }
        }

        return found;
    }

    private static async Task<List<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
