using Keyserver.Core.Packets;

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
    public async Task SecretKey_IsRefusedPlainlyAndNotEchoed()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>");

        var page = await SubmitAsync(key.SecretArmored);

        Assert.Equal("That was a secret key", page.Find(".outcome h2").TextContent);
        Assert.Equal(SecretKeyDetector.Message, page.Find("[role=alert]").TextContent);
        Assert.Equal("", page.Find("#keytext").GetAttribute("value") ?? "");
        Assert.Equal("", page.Find("#keytext").TextContent);
        foreach (var line in key.SecretArmored.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line.Trim(), page.Markup);
        }

        Assert.Null(await Store.GetAsync(key.Fingerprint));
        Assert.Empty(await Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10));
    }

    [Fact]
    public async Task SecretKeyArmoredAsPublicBlock_IsRefusedToo()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>");
        var mislabelled = key.SecretArmored.Replace("PRIVATE KEY BLOCK", "PUBLIC KEY BLOCK", StringComparison.Ordinal);

        var page = await SubmitAsync(mislabelled);

        Assert.Equal(SecretKeyDetector.Message, page.Find("[role=alert]").TextContent);
        Assert.Null(await Store.GetAsync(key.Fingerprint));
    }

    [Fact]
    public async Task Result_ComesBeforeTheEmptiedForm()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>");

        var page = await SubmitAsync(key.Armored);

        var markup = page.Markup;
        Assert.True(markup.IndexOf("class=\"outcome\"", StringComparison.Ordinal) < markup.IndexOf("id=\"keytext\"", StringComparison.Ordinal));
        Assert.Equal("", page.Find("#keytext").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task IdentityWithoutAddress_SaysItCannotBePublished()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>", "Alice Without Address");

        var page = await SubmitAsync(key.Armored);

        var items = page.FindAll(".outcome article.key > ul.uids li").Select(li => li.TextContent).ToList();
        Assert.Contains(items, t => t.Contains("Alice Without Address", StringComparison.Ordinal) && t.Contains("cannot be published: it has no e-mail address", StringComparison.Ordinal));
        Assert.Contains(items, t => t.Contains("alice@example.org", StringComparison.Ordinal) && t.Contains("waiting for confirmation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PendingIdentity_OffersToSendTheMailAgain()
    {
        var key = TestKeys.Create("Alice Example <alice@example.org>", "Alice Without Address");

        var page = await SubmitAsync(key.Armored);

        var form = Assert.Single(page.FindAll(".pending form"));
        Assert.Equal("/resend", form.GetAttribute("action"));
        Assert.Equal("resend", form.QuerySelector("input[name=_handler]")!.GetAttribute("value"));
        Assert.Equal(key.Fingerprint, form.QuerySelector("input[name=Fingerprint]")!.GetAttribute("value"));
        Assert.Equal("alice@example.org", form.QuerySelector("input[name=Address]")!.GetAttribute("value"));
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
