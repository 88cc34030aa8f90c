using System.Diagnostics;
using Keyserver.Core.Search;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.LiteDb.Tests;

public class LiteDbKeyStoreTests() : KeyStoreContractTests(new StoreBackend<IKeyStore>(dataDirectory => new LiteDbKeyStore(DatabasePathIn(dataDirectory))))
{
    private string DatabasePath => DatabasePathIn(DataDirectory);

    private static string DatabasePathIn(string dataDirectory) => Path.Combine(dataDirectory, LiteDbContext.DefaultFileName);

    [Fact]
    public async Task Find_EveryQueryKind_SeeksItsIndex()
    {
        await Put(Create(Fingerprint(1), "Alice <alice@example.org>"));
        CloseStore();
        using var database = new LiteDatabase(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct });
        var keys = database.GetCollection(KeyDocuments.LookupCollection);

        string[] indexed = [KeyDocuments.ShortKeyIds, KeyDocuments.EmailKeys, KeyDocuments.WordKeys, KeyDocuments.UserIdKeys];
        foreach (var index in indexed)
        {
            var plan = keys.Query().Where(BsonExpression.Create($"$.{index}[*] ANY = @0", "x")).GetPlan();
            Assert.Equal(index, plan["index"]["name"].AsString);
        }

        // Fingerprints and long key IDs are found through the short key ID index: no index of their own.
        var names = database.Execute($"SELECT $.name FROM $indexes WHERE $.collection = '{KeyDocuments.LookupCollection}'").ToEnumerable()
            .Select(d => d["name"].AsString).Order(StringComparer.Ordinal);
        Assert.Equal(indexed.Append("_id").Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Open_FileWithTheOldFingerprintAndKeyIdIndexes_DropsThemAndStillFinds()
    {
        var fingerprint = Fingerprint(7);
        await Put(Create(fingerprint, "Alice <alice@example.org>"));
        CloseStore();
        using (var database = new LiteDatabase(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct }))
        {
            var keys = database.GetCollection(KeyDocuments.LookupCollection);
            Assert.True(keys.EnsureIndex(KeyDocuments.Fingerprints, $"$.{KeyDocuments.Fingerprints}[*]"));
            Assert.True(keys.EnsureIndex(KeyDocuments.KeyIds, $"$.{KeyDocuments.KeyIds}[*]"));
        }

        Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys);
        Assert.Single((await Store.FindAsync(new KeyQuery.ByKeyId(fingerprint[^16..]), 0, 1)).Keys);
        Assert.Empty((await Store.FindAsync(new KeyQuery.ByKeyId(fingerprint[^24..^8]), 0, 1)).Keys);
        CloseStore();
        using (var database = new LiteDatabase(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct }))
        {
            var names = database.Execute("SELECT $.name FROM $indexes").ToEnumerable().Select(d => d["name"].AsString).ToList();
            Assert.DoesNotContain(KeyDocuments.Fingerprints, names);
            Assert.DoesNotContain(KeyDocuments.KeyIds, names);
        }
    }

    [Fact]
    public async Task Find_RepeatedLookup_ServedFromCacheUntilKeyIsWritten()
    {
        var fingerprint = Fingerprint(1);
        await Put(Create(fingerprint, "Alice <alice@example.org>"));
        var first = Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys);

        var again = Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys);
        Assert.Same(first, again);

        await Put(AddIdentity(first, fingerprint, Identity("Alice Work <alice@work.example>")));
        var afterWrite = Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys);
        Assert.NotSame(first, afterWrite);
        Assert.Equal(2, afterWrite.Identities.Count);
    }

    [Fact]
    public async Task Find_LowerCaseHexAfterDelete_NotServedFromCache()
    {
        var fingerprint = Fingerprint(0xABCDEF);
        await Put(Create(fingerprint, "Alice <alice@example.org>"));
        Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint.ToLowerInvariant()), 0, 1)).Keys);
        Assert.Single((await Store.FindAsync(new KeyQuery.ByShortKeyId(fingerprint[^8..].ToLowerInvariant()), 0, 1)).Keys);

        await Store.UpdateAsync(fingerprint, _ => null);

        Assert.Empty((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint.ToLowerInvariant()), 0, 1)).Keys);
        Assert.Empty((await Store.FindAsync(new KeyQuery.ByShortKeyId(fingerprint[^8..].ToLowerInvariant()), 0, 1)).Keys);
    }

    private static async Task<LiteDbKeyStore> UncachedStoreWithAliceAsync(LiteDbContext context, string fingerprint)
    {
        var store = new LiteDbKeyStore(context, lookupCacheBytes: 0);
        await store.UpdateAsync(fingerprint, _ => Create(fingerprint, "Alice <alice@example.org>"));
        return store;
    }

    [Fact]
    public async Task Find_CacheDisabled_ReadsEveryTime()
    {
        var fingerprint = Fingerprint(1);
        using var context = new LiteDbContext(DatabasePath);
        using var store = await UncachedStoreWithAliceAsync(context, fingerprint);

        var first = (await store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys[0];
        var second = (await store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys[0];

        Assert.NotSame(first, second);
        AssertSameRecord(first, second);
    }

    [Fact]
    public async Task Get_DocumentsFromDifferentWrites_ThrowsNamingTheFileInsteadOfMixingThem()
    {
        var fingerprint = Fingerprint(1);
        using var context = new LiteDbContext(DatabasePath);
        using var store = await UncachedStoreWithAliceAsync(context, fingerprint);
        await context.WriteAsync(db =>
        {
            var full = db.GetCollection(KeyDocuments.FullKeyCollection).FindById(fingerprint);
            full["Stamp"] = Guid.NewGuid();
            return db.GetCollection(KeyDocuments.FullKeyCollection).Update(full);
        });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync(fingerprint));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => store.UpdateAsync(fingerprint, r => r));
        await Assert.ThrowsAsync<InvalidDataException>(() => store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1));
    }

    [Fact]
    public async Task Update_KeyLargerThanADocument_ThrowsAndStoresNothing()
    {
        var basic = Create(Fingerprint(1), "Alice <alice@example.org>");
        var huge = Copy(basic, fullKey: new byte[17 * 1024 * 1024]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Put(huge));

        Assert.Contains(basic.Fingerprint, error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync(basic.Fingerprint));
    }

    [Fact]
    public async Task SecondKeyStoreOnOneContext_RefusedUntilFirstDisposed()
    {
        using var context = new LiteDbContext(DatabasePath);
        var first = new LiteDbKeyStore(context);

        Assert.Throws<InvalidOperationException>(() => new LiteDbKeyStore(context));

        await first.UpdateAsync(Fingerprint(1), _ => Create(Fingerprint(1), "Alice <alice@example.org>"));
        first.Dispose();
        using var second = new LiteDbKeyStore(context);
        Assert.NotNull(await second.GetAsync(Fingerprint(1)));
    }

    [Fact]
    public void Open_CorruptFile_ThrowsDamagedNamingTheFileAndTheRemedy()
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllBytes(DatabasePath, Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray());

        var error = Assert.Throws<StoreDamagedException>(() => new LiteDbContext(DatabasePath));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("Keyserver.Web repair", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_NewerSchemaVersion_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(DataDirectory);
        using (var database = new LiteDatabase(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct }))
        {
            database.UserVersion = LiteDbContext.SchemaVersion + 1;
        }

        var error = Assert.Throws<IOException>(() => new LiteDbContext(DatabasePath));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingDirectory_CreatesIt()
    {
        var nested = Path.Combine(DataDirectory, "a", "b", LiteDbContext.DefaultFileName);

        using var context = new LiteDbContext(nested);

        Assert.True(File.Exists(nested));
        Assert.Equal(nested, context.DatabasePath);
    }

    [Fact]
    public async Task Open_FileHeldByAnotherContext_Throws()
    {
        await Put(Create(Fingerprint(1), "Alice <alice@example.org>"));

        var error = Assert.Throws<IOException>(() => new LiteDbContext(DatabasePath));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WorkThrows_RollsBackAndContextStaysUsable()
    {
        using var context = new LiteDbContext(DatabasePath);

        await Assert.ThrowsAsync<InvalidOperationException>(() => context.WriteAsync<int>(db =>
        {
            db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 1 });
            throw new InvalidOperationException("fail");
        }));
        await context.WriteAsync(db => db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 2 }));

        Assert.Equal([2], context.Database.GetCollection("other").FindAll().Select(d => d["_id"].AsInt32));
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public async Task KilledWriter_AnsweredWritesSurvive()
    {
        var entryAssembly = typeof(CrashWriter).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { entryAssembly, CrashWriter.Command, DatabasePath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        try
        {
            // Only a guard against a hung child, not a measurement: the test fails if it trips.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var line = await child.StandardOutput.ReadLineAsync(guard.Token);
            Assert.True(line == CrashWriter.Committed, $"child said '{line}': {await ReadErrorAsync(child)}");
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        // The answered writes live only in LiteDB's log (no checkpoint ran): reopening must replay it.
        Assert.True(File.Exists(Path.Combine(DataDirectory, "keyserver-log.db")));
        for (var i = 0; i < CrashWriter.RecordCount; i++)
        {
            var stored = await Store.GetAsync(Fingerprint(i));
            Assert.NotNull(stored);
            Assert.Equal(CrashWriter.Record(i).FullKey, stored.FullKey);
        }

        Assert.Equal(CrashWriter.RecordCount, (await Store.GetStatisticsAsync()).Keys);
    }

    private static async Task<string> ReadErrorAsync(Process child)
    {
        if (!child.HasExited)
        {
            child.Kill(entireProcessTree: true);
        }

        return await child.StandardError.ReadToEndAsync();
    }
}
