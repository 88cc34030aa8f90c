using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.LiteDb.Tests;

public class LookupCacheTests
{
    private static KeyRecord Entry(int n) => Create(Fingerprint(n), $"User {n} <u{n}@example.org>");

    [Fact]
    public void AddRecord_NoWriteSinceRead_Cached()
    {
        var cache = new LookupCache(1024 * 1024);
        var entry = Entry(1);

        cache.AddRecord(entry, cache.Generation);

        Assert.True(cache.TryGetRecord(entry.Fingerprint, out var cached));
        Assert.Same(entry, cached);
    }

    [Fact]
    public void AddRecord_WriteEndedSinceRead_Refused()
    {
        var cache = new LookupCache(1024 * 1024);
        var entry = Entry(1);
        var generation = cache.Generation;
        cache.BeginWrite([Fingerprint(2)], []);
        cache.EndWrite([Fingerprint(2)], []);

        cache.AddRecord(entry, generation);

        Assert.False(cache.TryGetRecord(entry.Fingerprint, out _));
    }

    [Fact]
    public void AddRecordAndTerm_WriteInProgress_RefusedEvenWithCurrentGeneration()
    {
        var cache = new LookupCache(1024 * 1024);
        cache.BeginWrite([Fingerprint(2)], []);
        var entry = Entry(1);

        cache.AddRecord(entry, cache.Generation);
        cache.AddTerm("t", [Fingerprint(1)], cache.Generation);

        Assert.False(cache.TryGetRecord(entry.Fingerprint, out _));
        Assert.False(cache.TryGetTerm("t", out _));
        cache.EndWrite([Fingerprint(2)], []);
        cache.AddTerm("t", [Fingerprint(1)], cache.Generation);
        Assert.True(cache.TryGetTerm("t", out _));
    }

    [Fact]
    public void BeginWrite_RemovesWrittenRecordsAndTerms()
    {
        var cache = new LookupCache(1024 * 1024);
        var entry = Entry(1);
        cache.AddRecord(entry, cache.Generation);
        cache.AddTerm("Fingerprints:X", [entry.Fingerprint], cache.Generation);
        cache.AddTerm("Fingerprints:Y", [entry.Fingerprint], cache.Generation);

        cache.BeginWrite([entry.Fingerprint], ["Fingerprints:X"]);

        Assert.False(cache.TryGetRecord(entry.Fingerprint, out _));
        Assert.False(cache.TryGetTerm("Fingerprints:X", out _));
        Assert.True(cache.TryGetTerm("Fingerprints:Y", out _));
    }

    [Fact]
    public void AddRecord_ManyRecords_StaysWithinByteBound()
    {
        const long capacity = 64 * 1024;
        var cache = new LookupCache(capacity);
        var entries = Enumerable.Range(0, 500).Select(Entry).ToList();

        foreach (var entry in entries)
        {
            cache.AddRecord(entry, cache.Generation);
        }

        var cachedBytes = entries
            .Where(e => cache.TryGetRecord(e.Fingerprint, out _))
            .Sum(e => 1024L + e.FullKey.Length + e.Published!.Length + e.PublishedArmored!.Length);
        Assert.InRange(cachedBytes, 1, capacity);
    }

    [Fact]
    public void AddTerm_FloodOfDistinctTerms_StaysWithinCountBound()
    {
        var cache = new LookupCache(1024 * 1024);

        for (var i = 0; i < 70_000; i++)
        {
            cache.AddTerm($"Fingerprints:{i:X40}", [], cache.Generation);
        }

        var cached = Enumerable.Range(0, 70_000).Count(i => cache.TryGetTerm($"Fingerprints:{i:X40}", out _));
        Assert.InRange(cached, 1, 65_536);
    }

    [Fact]
    public void Disabled_CachesNothing()
    {
        var cache = new LookupCache(0);

        cache.AddRecord(Entry(1), cache.Generation);
        cache.AddTerm("t", [], cache.Generation);

        Assert.False(cache.TryGetRecord(Fingerprint(1), out _));
        Assert.False(cache.TryGetTerm("t", out _));
    }
}
