using System.Reflection;
using Keyserver.Core.Storage;
using Npgsql;

namespace Keyserver.Storage.PostgreSql;

/// <summary>
/// One PostgreSQL database shared by every server instance: the connection pool, the schema
/// (created and migrated from the embedded <c>Migrations/NNNN_name.sql</c> scripts on first use,
/// under an advisory lock so that instances starting together do not race), the health probe and
/// the advisory locks that keep periodic work on one instance.
/// </summary>
public sealed class PostgreSqlDatabase : IExclusiveWork, IDisposable, IAsyncDisposable
{
    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestSchemaVersion => Migrations.Value[^1].Version;

    // Advisory lock keys (PostgreSQL "Advisory Locks", §13.3.5): one 64-bit space per database.
    private const long MigrationLock = 0x4B65_7973_0000_0001;
    private const long ExclusiveWorkBase = 0x4B65_7973_0001_0000;

    private static readonly Lazy<IReadOnlyList<(int Version, string Name, string Sql)>> Migrations = new(LoadMigrations);

    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>Creates the pool for <paramref name="connectionString"/>; nothing connects until first use.</summary>
    public PostgreSqlDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new PostgreSqlStoreException($"Storage:ConnectionString is not a valid PostgreSQL connection string: {e.Message}", e);
        }

        Target = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        DataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Host, port and database name, for messages (never the password).</summary>
    public string Target { get; }

    internal NpgsqlDataSource DataSource { get; }

    /// <summary>Creates or migrates the schema once; refuses a schema newer than this build.</summary>
    public void EnsureSchema() => EnsureSchemaAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="EnsureSchema" />
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await RunAsync(connection => MigrateAsync(connection, cancellationToken), cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <summary>The schema version the database holds (0 when it has none yet).</summary>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        RunAsync(connection => CurrentVersionAsync(connection, cancellationToken), cancellationToken);

    /// <summary>Null while the database answers; else why not, in one line.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(async connection =>
            {
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (PostgreSqlStoreException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Session advisory lock on a connection of its own (<c>pg_try_advisory_lock</c>): held until the
    /// handle is disposed, and released by the server when the holding process dies.
    /// </summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string work, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(work);
        var key = ExclusiveWorkBase + (StableHash(work) & 0xFFFF);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new AdvisoryLockHandle(connection, key);
            }
        }
        catch (NpgsqlException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Translate(e);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <inheritdoc />
    public void Dispose() => DataSource.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>Runs <paramref name="work"/> on a pooled connection; connection failures become <see cref="PostgreSqlUnavailableException"/>.</summary>
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (IsUnavailable(e))
        {
            throw Translate(e);
        }
    }

    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw Translate(e);
        }
        catch (TimeoutException e)
        {
            throw new PostgreSqlUnavailableException($"PostgreSQL at {Target} did not answer in time: {e.Message}", e);
        }
    }

    // Network and server-availability failures (SQLSTATE classes 08 and 53, 57P0x shutdowns) are
    // "unavailable"; anything else the server reports is a failure of the statement.
    private static bool IsUnavailable(NpgsqlException e) => e is not PostgresException pg
        || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
        || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
        || pg.SqlState.StartsWith("57P", StringComparison.Ordinal);

    private PostgreSqlStoreException Translate(NpgsqlException e)
    {
        var reason = OneLine(e.InnerException is { } inner && e is not PostgresException ? inner.Message : e.Message);
        return IsUnavailable(e)
            ? new PostgreSqlUnavailableException($"PostgreSQL at {Target} is unreachable: {reason}", e)
            : new PostgreSqlStoreException($"PostgreSQL at {Target} refused the store: {reason}", e);
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static async Task<int> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(" + MigrationLock + ")", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                connection,
                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())",
                cancellationToken).ConfigureAwait(false);
            var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (current > LatestSchemaVersion)
            {
                throw new PostgreSqlStoreException(
                    $"The database schema is version {current}, newer than this server knows ({LatestSchemaVersion}): run the newer server, or restore a backup taken before it migrated.");
            }

            foreach (var (version, name, sql) in Migrations.Value.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await Keyserver.Storage.PostgreSql.Migrations.MigrationSteps.AfterAsync(version, connection, cancellationToken).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES (@v, @n)", connection))
                {
                    record.Parameters.AddWithValue("v", version);
                    record.Parameters.AddWithValue("n", name);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return LatestSchemaVersion;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(" + MigrationLock + ")", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM schema_version) END",
            connection);
        try
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(int Version, string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(PostgreSqlDatabase).Assembly;
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)))
        {
            var name = resource["Migrations.".Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add((version, name, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return migrations;
    }

    // FNV-1a: stable across processes and runs, unlike string.GetHashCode.
    internal static long StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private sealed class AdvisoryLockHandle(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and with it the lock.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
