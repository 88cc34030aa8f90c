using Keyserver.Web.Components.Hkp;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Web.Tests.Components.Hkp;

/// <summary>The HKP index page says how many keys match, and "more than" when the store stopped counting.</summary>
public sealed class IndexViewTests : BunitContext
{
    public IndexViewTests() => Services.AddOptions<SiteOptions>();

    private IRenderedComponent<IndexView> Render(int total, bool lowerBound) => Render<IndexView>(p => p
        .Add(v => v.Search, "common")
        .Add(v => v.Keys, [Create(Fingerprint(1), "Common One <one@example.org>")])
        .Add(v => v.Total, total)
        .Add(v => v.TotalIsLowerBound, lowerBound));

    [Fact]
    public void MoreMatchesThanShown_SaysHowManyAndToNarrow()
    {
        var page = Render(total: 40, lowerBound: false);

        Assert.Contains("40 keys match; 1 is shown here", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("More than", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreStoppedCounting_SaysMoreThan()
    {
        var page = Render(total: KeyPage.MaxMatches, lowerBound: true);

        Assert.Contains($"More than {KeyPage.MaxMatches} keys match", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AllShown_NoCountLine()
    {
        var page = Render(total: 1, lowerBound: false);

        Assert.DoesNotContain("keys match", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Common One", page.Markup, StringComparison.Ordinal);
    }
}
