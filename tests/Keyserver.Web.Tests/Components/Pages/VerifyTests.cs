namespace Keyserver.Web.Tests.Components.Pages;

public sealed class VerifyTests : PortalContext
{
    private const string Address = "alice@example.org";

    private IRenderedComponent<Verify> Open(string token) => Render<Verify>(p => p.Add(c => c.Token, token));

    private async Task<(string Fingerprint, string Token)> PendingAsync(TimeSpan expiresIn, bool used = false)
    {
        var (key, _) = await UploadAsync($"Alice Example <{Address}>");
        return (key.Fingerprint, await AddTokenAsync(TokenPurpose.Verify, key.Fingerprint, Address, expiresIn, used));
    }

    private async Task<IdentityState> StateAsync(string fingerprint) =>
        (await Store.GetAsync(fingerprint))!.Identities.Single().State;

    [Fact]
    public async Task ValidToken_ShowsKeyIdentityAndPublishButton_WithoutPublishing()
    {
        var (fingerprint, token) = await PendingAsync(TimeSpan.FromDays(1));

        var page = Open(token);

        Assert.Equal("Publish your identity?", page.Find("h1").TextContent);
        Assert.Contains(Address, page.Markup);
        Assert.Contains(fingerprint[..4], page.Find(".fpr").TextContent);
        Assert.Equal("post", page.Find("form").GetAttribute("method"));
        Assert.Equal("Publish", page.Find("form button[type=submit]").TextContent);
        Assert.Equal(IdentityState.Pending, await StateAsync(fingerprint));
    }

    [Fact]
    public async Task Submit_PublishesIdentity()
    {
        var (fingerprint, token) = await PendingAsync(TimeSpan.FromDays(1));
        var page = Open(token);

        await page.Find("form").SubmitAsync();

        Assert.Equal("Published", page.Find("h1").TextContent);
        Assert.Equal($"/keys/{fingerprint}", page.Find("a.fpr").GetAttribute("href"));
        Assert.Equal(IdentityState.Published, await StateAsync(fingerprint));
    }

    [Fact]
    public async Task ExpiredToken_SaysExpired_AndPublishesNothing()
    {
        var (fingerprint, token) = await PendingAsync(TimeSpan.FromHours(-1));

        var page = Open(token);

        AssertRefused(page, "This link has expired", "form");
        Assert.Equal(IdentityState.Pending, await StateAsync(fingerprint));
    }

    [Fact]
    public async Task UsedToken_SaysAlreadyUsed()
    {
        var (_, token) = await PendingAsync(TimeSpan.FromDays(1), used: true);

        var page = Open(token);

        AssertRefused(page, "This link was already used", "form");
    }

    [Fact]
    public async Task ManageTokenUsedAsVerifyLink_SaysNotValid()
    {
        var (_, _) = await PendingAsync(TimeSpan.FromDays(1));
        var manage = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));

        Assert.Equal("This link is not valid", Open(manage).Find("h1").TextContent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("<script>alert(1)</script>")]
    public void UnknownOrMalformedToken_SaysNotValid(string token) =>
        AssertRefused(Open(token), "This link is not valid", "form");

    [Fact]
    public void OversizedToken_SaysNotValid()
    {
        Assert.Equal("This link is not valid", Open(new string('A', 100_000)).Find("h1").TextContent);
    }
}
