using Bunit;
using Keyserver.Core.Keys;
using Keyserver.Core.Verification;
using Keyserver.Web.Components.Pages;
using Keyserver.Web.Tests.Infrastructure;

namespace Keyserver.Web.Tests.Components.Pages;

public sealed class UploadTests : PortalContext
{
    private async Task<IRenderedComponent<Upload>> SubmitAsync(string keytext)
    {
        var page = Render<Upload>();
        page.Find("#keytext").Change(keytext);
        await page.Find("form").SubmitAsync();
        return page;
    }

    [Fact]
    public void Empty_ShowsLabelledPasteAndFileInputs()
    {
        var page = Render<Upload>();

        Assert.Equal("multipart/form-data", page.Find("form").GetAttribute("enctype"));
        Assert.NotNull(page.Find("label[for=keytext]"));
        Assert.NotNull(page.Find("label[for=keyfile]"));
        Assert.Empty(page.FindAll(".outcome"));
    }

    [Fact]
    public async Task NewKey_ShowsAddedPendingIdentityAndMailedAddress()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>");

        var page = await SubmitAsync(key.Armored);

        var outcome = page.Find(".outcome article.key");
        Assert.Contains("Added", outcome.TextContent);
        Assert.Contains("Alice Example <alice@example.org>", outcome.QuerySelector(".uid")!.TextContent);
        Assert.Contains("waiting for confirmation", outcome.TextContent);
        Assert.Equal("alice@example.org", Assert.Single(page.FindAll("ul.mailed li")).TextContent);
        var mail = Assert.Single(await Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10));
        Assert.Equal(MailKind.Verify, mail.Mail.Kind);
        Assert.Equal(IdentityState.Pending, (await Store.GetAsync(key.Fingerprint))!.Identities.Single().State);
    }

    [Fact]
    public async Task SecretKey_IsRejectedWithReason()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>");

        var page = await SubmitAsync(key.SecretArmored);

        Assert.DoesNotContain("Added", page.Find(".outcome").TextContent);
        Assert.Null(await Store.GetAsync(key.Fingerprint));
        Assert.Contains("No verification mail was sent.", page.Markup);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n")]
    public async Task Garbage_ShowsProblemWithoutCrash(string keytext)
    {
        var page = await SubmitAsync(keytext);

        Assert.NotEmpty(page.FindAll(".outcome .error"));
        Assert.Empty(page.FindAll(".outcome article.key"));
    }

    [Fact]
    public async Task Nothing_AsksForAKey()
    {
        var page = await SubmitAsync("   ");

        Assert.Equal("Paste a key or choose a file.", page.Find("[role=alert]").TextContent);
    }

    [Fact]
    public async Task Oversized_IsRefusedBeforeIngest()
    {
        var page = await SubmitAsync(new string('A', 2 * 1024 * 1024));

        Assert.Contains("larger than", page.Find("[role=alert]").TextContent);
        Assert.Empty(page.FindAll(".outcome"));
    }

    [Fact]
    public async Task HostileUserId_IsRenderedAsText()
    {
        var key = TestKeys.Create("<script>alert(1)</script> <evil@example.org>");

        var page = await SubmitAsync(key.Armored);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Markup);
        Assert.Empty(page.FindAll("script"));
    }
}
