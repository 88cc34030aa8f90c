namespace Keyserver.Web.Tests.Components.Pages;

public sealed class ManageKeysTests : PortalContext
{
    private const string Address = "alice@example.org";

    private IRenderedComponent<ManageKeys> Open(string token) => Render<ManageKeys>(p => p.Add(c => c.Token, token));

    [Fact]
    public async Task ValidToken_ListsKeysAndIdentitiesWithActions()
    {
        var (key, _) = await UploadAsync($"Alice Example <{Address}>");
        await PublishAllAsync(key.Fingerprint);
        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));

        var page = Open(token);

        Assert.Equal($"Keys of {Address}", page.Find("h1").TextContent);
        Assert.Equal($"/keys/{key.Fingerprint}", page.Find("article.key h2 a").GetAttribute("href"));
        Assert.Equal($"unpublish:{key.Fingerprint}:Alice Example <{Address}>", page.Find("ul.uids button").GetAttribute("value"));
        Assert.Equal($"delete:{key.Fingerprint}", page.Find("button.danger").GetAttribute("value"));
        Assert.NotNull(page.Find("form[method=post]"));
    }

    [Fact]
    public async Task ValidTokenWithNothingPublished_SaysSo()
    {
        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));

        Assert.Contains("Nothing is published", Open(token).Markup);
    }

    [Fact]
    public async Task ExpiredToken_SaysExpired()
    {
        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(-1));

        var page = Open(token);

        AssertRefused(page, "This link has expired", "button");
    }

    [Fact]
    public async Task VerifyTokenUsedAsManageLink_SaysNotValid()
    {
        var (key, _) = await UploadAsync($"Alice Example <{Address}>");
        var token = await AddTokenAsync(TokenPurpose.Verify, key.Fingerprint, Address, TimeSpan.FromHours(1));

        Assert.Equal("This link is not valid", Open(token).Find("h1").TextContent);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("<script>alert(1)</script>")]
    public void UnknownToken_SaysNotValid(string token) =>
        AssertRefused(Open(token), "This link is not valid", "script");

    [Fact]
    public async Task HostileUserId_IsRenderedAsTextInListAndButtonLabel()
    {
        var hostile = "<script>alert(1)</script> <evil@example.org>";
        var (key, _) = await UploadAsync(hostile);
        await PublishAllAsync(key.Fingerprint);
        var token = await AddTokenAsync(TokenPurpose.Manage, null, "evil@example.org", TimeSpan.FromHours(1));

        var page = Open(token);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Markup);
        Assert.Empty(page.FindAll("script"));
        Assert.Equal($"Unpublish {hostile}", page.Find("ul.uids button").GetAttribute("aria-label"));
    }
}
