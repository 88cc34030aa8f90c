namespace Keyserver.Web.Tests.Hkp;

/// <summary>The lookup budget: per client, apart from the upload budget, and word searches cost more.</summary>
public sealed class LookupRateLimitTests
{
    [Fact]
    public async Task ExactLookups_OverTheBudget_429WithRetryAfter()
    {
        using var factory = KeyserverFactory.With(("RateLimit:LookupsPerMinute", "5"));
        using var client = factory.CreateClient();
        var key = TestKeys.Create("Budget <budget@example.org>");
        await client.UploadAsync(key);

        for (var i = 0; i < 5; i++)
        {
            using var allowed = await client.LookupAsync($"op=get&search=0x{key.Fingerprint}");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.LookupAsync($"op=get&search=0x{key.Fingerprint}");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Too many lookups", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WordSearch_CostsMoreThanAnExactLookup()
    {
        using var factory = KeyserverFactory.With(("RateLimit:LookupsPerMinute", "10"), ("RateLimit:LookupSearchCost", "4"));
        using var client = factory.CreateClient();
        var key = TestKeys.Create("Wide Search <wide@example.org>");
        await client.UploadAsync(key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.LookupAsync("op=index&options=mr&search=wide");
            statuses.Add(response.StatusCode);
        }

        // 4 + 4 spend 8 of 10; the third search would need 12.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        using var exact = await client.LookupAsync($"op=get&search=0x{key.Fingerprint}");
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
    }

    [Fact]
    public async Task UploadAndManagePageViews_DoNotSpendTheUploadBudget()
    {
        using var factory = KeyserverFactory.With(("RateLimit:PermitsPerMinute", "2"));
        using var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/upload")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/manage")).StatusCode);
        }

        await client.UploadAsync(TestKeys.Create("Still <still@example.org>"));
    }
}
