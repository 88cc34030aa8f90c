using Microsoft.AspNetCore.Components;

namespace Keyserver.Web.Tests.Components.Pages;

public sealed class HomeTests : PortalContext
{
    private IRenderedComponent<Home> Search(string? q)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(q is null ? "/" : $"/?q={Uri.EscapeDataString(q)}");
        return Render<Home>();
    }

    [Fact]
    public void NoQuery_ShowsLabelledSearchFormAndNoResults()
    {
        var page = Search(null);

        Assert.Equal("q", page.Find("label[for=q]").GetAttribute("for"));
        Assert.Equal("get", page.Find("form[role=search]").GetAttribute("method"));
        Assert.Empty(page.FindAll("article.key"));
        Assert.Empty(page.FindAll(".error"));
    }

    [Fact]
    public void UnknownAddress_SaysNoKeyMatches() =>
        AssertNoResults("nobody@example.org", "#results-heading", "No published key matches.");

    [Fact]
    public async Task PublishedKey_ListsFingerprintAlgorithmDatesAndIdentity()
    {
        var (key, _) = await UploadAsync("Alice Example <alice@example.org>");
        await PublishAllAsync(key.Fingerprint);

        var page = Search("alice@example.org");

        var result = page.Find("article.key");
        Assert.Equal($"/keys/{key.Fingerprint}", result.QuerySelector("h3 a")!.GetAttribute("href"));
        Assert.Contains("EdDSA Ed25519", result.TextContent);
        Assert.Contains(key.Created.UtcDateTime.ToString("yyyy-MM-dd"), result.TextContent);
        Assert.Contains("never", result.TextContent);
        Assert.Equal("valid", result.QuerySelector(".status")!.TextContent);
        Assert.Equal("Alice Example <alice@example.org>", result.QuerySelector("ul.uids li")!.TextContent.Trim());
    }

    [Fact]
    public async Task PendingIdentity_IsNotFound()
    {
        await UploadAsync("Pending Person <pending@example.org>");

        var page = Search("pending@example.org");

        Assert.Empty(page.FindAll("article.key"));
        Assert.DoesNotContain("Pending Person", page.Markup);
    }

    [Fact]
    public async Task RevokedKey_ShowsRevokedStatus()
    {
        var (key, _) = await UploadAsync("Rita Revoked <rita@example.org>");
        var record = await PublishAllAsync(key.Fingerprint);
        await ReplacePrimaryAsync(record, record.Primary with { Revoked = new Revocation(DateTimeOffset.UtcNow, 2, "stolen laptop") });

        var page = Search("rita@example.org");

        Assert.StartsWith("revoked", page.Find("article.key .status.revoked").TextContent);
    }

    [Fact]
    public async Task ExpiredKey_ShowsExpiredStatus()
    {
        var (key, _) = await UploadAsync("Ed Expired <ed@example.org>");
        var record = await PublishAllAsync(key.Fingerprint);
        await ReplacePrimaryAsync(record, record.Primary with { Expires = DateTimeOffset.UtcNow.AddDays(-1) });

        var page = Search("ed@example.org");

        Assert.StartsWith("expired", page.Find("article.key .status.expired").TextContent);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0x0123456789ABCDEF0123456789ABCDEF")]
    public void MalformedKeyId_ShowsErrorWithoutResults(string q) => AssertNoResults(q, "[role=alert]", "Cannot search");

    [Fact]
    public void OversizedQuery_ShowsErrorWithoutResults() => AssertNoResults(new string('a', 5000), "[role=alert]", "longer than");

    /// <summary>Searching <paramref name="q"/> lists no key and says <paramref name="message"/> in <paramref name="selector"/>.</summary>
    private void AssertNoResults(string q, string selector, string message)
    {
        var page = Search(q);

        Assert.Contains(message, page.Find(selector).TextContent);
        Assert.Empty(page.FindAll("article.key"));
    }

    [Fact]
    public async Task HostileUserId_IsRenderedAsText()
    {
        var (key, _) = await UploadAsync("<script>alert(1)</script><img src=x onerror=alert(2)> <evil@example.org>");
        await PublishAllAsync(key.Fingerprint);

        var page = Search("evil@example.org");

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Markup);
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("img"));
        Assert.Contains("<script>alert(1)</script>", page.Find("ul.uids li").TextContent);
    }
}
