using Keyserver.Core.Search;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.LiteDb.Tests;

/// <summary>What keeps the LiteDB store's costs flat as it grows: kept counts (bounded searches: <see cref="BoundedSearchContractTests"/>).</summary>
public sealed class LiteDbKeyStoreScaleTests() : StoreContract<LiteDbKeyStore>(new(dataDirectory => new LiteDbKeyStore(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName))))
{
    private static readonly Revocation Revoked = new(Epoch.AddDays(1), 32, "gone");

    private string DatabasePath => Path.Combine(DataDirectory, LiteDbContext.DefaultFileName);

    [Fact]
    public async Task Counters_EveryStateAndChange_KeptWithEachWriteAndAcrossReopen()
    {
        var a = Fingerprint(1);
        var b = Fingerprint(2);
        var c = Fingerprint(3);
        await Opened.UpdateAsync(a, _ => Create(a, [Identity("A1 <a1@example.org>", IdentityState.Pending), Identity("A2 <a2@example.org>")]));
        await Opened.UpdateManyAsync(
        [
            new KeyChange(b, _ => Create(b, [Identity("B1 <b1@example.org>", IdentityState.Unpublished), Identity("B2 <b2@example.org>", revoked: Revoked)])),
            new KeyChange(c, _ => Create(c, [Identity("C1 <c1@example.org>", IdentityState.Pending)])),
        ]);
        Assert.Equal(new StoreCounters(3, 2, 2, 1, 1, 1), Opened.Counters);

        // A changed identity moves between states; a deleted key takes its identities with it.
        await Opened.UpdateAsync(a, _ => Create(a, [Identity("A1 <a1@example.org>"), Identity("A2 <a2@example.org>")]));
        await Opened.UpdateAsync(c, _ => null);
        var expected = new StoreCounters(2, 2, 0, 2, 1, 1);
        Assert.Equal(expected, Opened.Counters);
        Assert.Equal(new StoreStatistics(2, 2, 3), await Opened.GetStatisticsAsync());

        CloseStore();
        Assert.Equal(expected, Opened.Counters);
    }

    [Fact]
    public async Task Counters_FileWrittenBeforeThem_CountedOnceOnOpen()
    {
        var a = Fingerprint(1);
        await Opened.UpdateAsync(a, _ => Create(a, [Identity("A1 <a1@example.org>", IdentityState.Pending), Identity("A2 <a2@example.org>", revoked: Revoked)]));
        CloseStore();
        using (var database = new LiteDatabase(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct }))
        {
            Assert.True(database.DropCollection(LiteDbKeyStore.CountersCollection));
        }

        Assert.Equal(new StoreCounters(1, 1, 1, 0, 0, 1), Opened.Counters);
    }
}

/// <summary>The bounded searches, on a LiteDB file.</summary>
public sealed class LiteDbBoundedSearchTests()
    : BoundedSearchContractTests(new StoreBackend<IKeyStore>(dataDirectory => new LiteDbKeyStore(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName))));
