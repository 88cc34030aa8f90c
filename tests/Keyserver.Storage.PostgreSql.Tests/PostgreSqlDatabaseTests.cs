using Keyserver.Core.Keys;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.PostgreSql.Tests;

/// <summary>
/// What only a shared database needs: the schema migrated once by instances starting together, a newer
/// schema refused, an unreachable server named in one line, advisory claims, and writes of one key
/// from two connection pools (two instances) merged.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlDatabaseTests(PostgresServer server)
{
    [Fact]
    public async Task EnsureSchema_FourInstancesStartingTogether_MigrateOnce()
    {
        var connectionString = server.CreateDatabase();
        var instances = Enumerable.Range(0, 4).Select(_ => new PostgreSqlDatabase(connectionString)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(i => Task.Run(() => i.EnsureSchemaAsync())));

            Assert.Equal(PostgreSqlDatabase.LatestSchemaVersion, await instances[0].GetSchemaVersionAsync());
            var rows = server.Psql(connectionString, "SELECT version FROM schema_version ORDER BY version").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Enumerable.Range(1, PostgreSqlDatabase.LatestSchemaVersion).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows);
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public async Task EnsureSchema_SchemaNewerThanServer_RefusedInOneLine()
    {
        var connectionString = server.CreateDatabase();
        using (var current = new PostgreSqlDatabase(connectionString))
        {
            await current.EnsureSchemaAsync();
        }

        var future = PostgreSqlDatabase.LatestSchemaVersion + 1;
        server.Psql(connectionString, $"INSERT INTO schema_version (version, name) VALUES ({future}, '{future:D4}_future')");

        using var older = new PostgreSqlDatabase(connectionString);
        var refused = Assert.Throws<PostgreSqlStoreException>(() => new PostgreSqlKeyStore(older));

        Assert.Contains($"version {future}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public async Task Unreachable_StartAndProbe_SayWhyInOneLine()
    {
        using var nowhere = new PostgreSqlDatabase($"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=postgres;Database=none;Timeout=5");

        var refused = Assert.Throws<PostgreSqlUnavailableException>(() => new PostgreSqlKeyStore(nowhere));
        var probe = await nowhere.ProbeAsync();

        Assert.Contains("unreachable", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.NotNull(probe);
        Assert.Contains("127.0.0.1", probe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=x;;==")]
    [InlineData("NoSuchKeyword=1")]
    public void Create_MalformedConnectionString_NamesTheSetting(string connectionString)
    {
        var refused = Assert.Throws<PostgreSqlStoreException>(() => new PostgreSqlDatabase(connectionString));

        Assert.StartsWith("Storage:ConnectionString", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Reachable_ReturnsNull()
    {
        using var database = new PostgreSqlDatabase(server.CreateDatabase());

        Assert.Null(await database.ProbeAsync());
    }

    [Fact]
    public async Task TryAcquire_HeldByOneInstance_OtherGetsNothingUntilReleased()
    {
        var connectionString = server.CreateDatabase();
        using var first = new PostgreSqlDatabase(connectionString);
        using var second = new PostgreSqlDatabase(connectionString);

        var held = await first.TryAcquireAsync("purge");
        Assert.NotNull(held);
        Assert.Null(await second.TryAcquireAsync("purge"));
        var other = await second.TryAcquireAsync("another job");
        Assert.NotNull(other);
        await other.DisposeAsync();

        await held.DisposeAsync();
        var taken = await second.TryAcquireAsync("purge");
        Assert.NotNull(taken);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task Update_ConcurrentAddsThroughTwoInstances_AllMerged()
    {
        var connectionString = server.CreateDatabase();
        using var firstDatabase = new PostgreSqlDatabase(connectionString);
        using var secondDatabase = new PostgreSqlDatabase(connectionString);
        IKeyStore[] stores = [new PostgreSqlKeyStore(firstDatabase), new PostgreSqlKeyStore(secondDatabase)];
        var fingerprint = Fingerprint(1);

        // The first upload of a key races too: no row exists yet for a row lock to hold.
        var uploads = Enumerable.Range(0, 24).Select(i => Task.Run(() => stores[i % 2].UpdateAsync(
            fingerprint,
            stored => stored is null
                ? Create(fingerprint, [Identity($"User {i} <user{i}@example.org>")])
                : AddIdentity(stored, fingerprint, Identity($"User {i} <user{i}@example.org>")))));
        var outcomes = await Task.WhenAll(uploads);

        Assert.Single(outcomes, o => o == WriteOutcome.Added);
        var stored = await stores[1].GetAsync(fingerprint);
        Assert.NotNull(stored);
        Assert.Equal(24, stored.Identities.Count(i => i.State == IdentityState.Published));
    }
}
