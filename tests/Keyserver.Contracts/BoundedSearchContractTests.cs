using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Contracts;

/// <summary>
/// What a real store promises beyond the in-memory fakes: a search reads at most
/// <see cref="KeyPage.MaxMatches"/> matches, whatever the store holds (thousands of keys are written
/// here, so the fakes, which read everything, do not run it).
/// </summary>
public abstract class BoundedSearchContractTests(StoreBackend<IKeyStore> backend) : StoreContract<IKeyStore>(backend)
{
    [Fact]
    public async Task FindByWords_WordSharedByMoreThanTheBound_ReadsTheBoundAndSaysAtLeast()
    {
        const int keys = KeyPage.MaxMatches + 50;
        for (var start = 0; start < keys; start += 1000)
        {
            await Opened.UpdateManyAsync(Enumerable.Range(start, Math.Min(1000, keys - start))
                .Select(n => new KeyChange(Fingerprint(n), _ => Create(Fingerprint(n), $"Common Name{n} <n{n}@example.org>")))
                .ToList());
        }

        var wide = await Opened.FindAsync(new KeyQuery.ByWords(["common"]), 0, 10);
        Assert.Equal(KeyPage.MaxMatches, wide.Total);
        Assert.True(wide.TotalIsLowerBound);
        Assert.Equal(10, wide.Keys.Count);

        // Two common words: still the bound, and only keys holding both.
        var both = await Opened.FindAsync(new KeyQuery.ByWords(["common", "example"]), KeyPage.MaxMatches - 5, 10);
        Assert.True(both.TotalIsLowerBound);
        Assert.Equal(5, both.Keys.Count);

        // The rare word drives the search, so the common one beside it does not cut the answer short.
        var last = keys - 1;
        var narrow = await Opened.FindAsync(new KeyQuery.ByWords(["common", $"name{last}"]), 0, 10);
        Assert.Equal(Fingerprint(last), Assert.Single(narrow.Keys).Fingerprint);
        Assert.False(narrow.TotalIsLowerBound);
        Assert.Equal(1, narrow.Total);

        // A word no key holds beside the common one: nothing, and no bound reached.
        var none = await Opened.FindAsync(new KeyQuery.ByWords(["common", "nobody"]), 0, 10);
        Assert.Equal(0, none.Total);
        Assert.False(none.TotalIsLowerBound);
    }
}
