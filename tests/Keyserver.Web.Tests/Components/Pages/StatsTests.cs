namespace Keyserver.Web.Tests.Components.Pages;

public sealed partial class StatsTests
{
    private static IdentityRecord Identity(IdentityState state, DateTimeOffset changed) =>
        new("A <a@example.org>", "a@example.org", state, changed, null, null, changed);

    private static KeyRecord Record(DateTimeOffset firstSeen, params IdentityRecord[] identities) => new()
    {
        Fingerprint = Guid.NewGuid().ToString("N").ToUpperInvariant() + "00000000",
        Version = 4,
        FullKey = [],
        Primary = new KeyInfo(22, 256, "Ed25519", firstSeen, null, null),
        Subkeys = [],
        Identities = identities,
        Fingerprints = [],
        KeyIds = [],
        ShortKeyIds = [],
        PublishedEmails = [],
        PublishedWords = [],
        FirstSeen = firstSeen,
        LastModified = firstSeen,
    };

    [Fact]
    public void Build_CountsFirstUploadsAndPublishedIdentitiesPerUtcDay_InTheWindowOnly()
    {
        var today = new DateOnly(2026, 12, 6);
        var at = (int daysAgo) => new DateTimeOffset(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(23, 30)), TimeSpan.Zero);

        var report = ActivityReport.Build(
            [
                Record(at(0), Identity(IdentityState.Published, at(0))),
                Record(at(0), Identity(IdentityState.Pending, at(0))),
                Record(at(3), Identity(IdentityState.Published, at(1)), Identity(IdentityState.Unpublished, at(1))),
                Record(at(29)),
                Record(at(30), Identity(IdentityState.Published, at(30))),
            ],
            new StoreStatistics(5, 3, 3),
            today,
            30);

        Assert.Equal(30, report.Days.Count);
        Assert.Equal(today.AddDays(-29), report.Days[0]);
        Assert.Equal(today, report.Days[^1]);
        Assert.Equal(2, report.NewKeys[^1]);
        Assert.Equal(1, report.NewKeys[^4]);
        Assert.Equal(1, report.NewKeys[0]);
        Assert.Equal(4, report.NewKeys.Sum());
        Assert.Equal(1, report.Confirmations[^1]);
        Assert.Equal(1, report.Confirmations[^2]);
        Assert.Equal(2, report.Confirmations.Sum());
    }

    [Fact]
    public async Task StatsPage_DrawsSvgChartsWithTableAlternative()
    {
        using var factory = KeyserverFactory.With(("Verification:Mode", "None"));
        var ingestor = factory.Services.GetRequiredService<KeyIngestor>();
        foreach (var name in new[] { "Ann <ann@example.org>", "Ben <ben@example.org>" })
        {
            await ingestor.IngestAsync(TestKeys.Create(name).Binary, new IngestOptions());
        }

        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/stats");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, SvgChart().Matches(page).Count);
        Assert.Equal(2, Regex.Matches(page, "<table>").Count);
        Assert.Equal(2 * PortalActivity.Days, Regex.Matches(page, "<rect ").Count);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"<tr><td>{today}</td><td>2</td></tr>", page);
        Assert.Contains("<dt>Keys served</dt>\n        <dd>2</dd>", page.Replace("\r", "", StringComparison.Ordinal));
        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain("style=", page);
    }

    [GeneratedRegex("<svg [^>]*role=\"img\"")]
    private static partial Regex SvgChart();
}
