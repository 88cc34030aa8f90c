namespace Interop.Tests.Portal;

/// <summary>
/// The portal in a browser against the real server process with e-mail verification on: upload, the
/// mailed link, publish, search, key page, manage link, unpublish. Screenshots of every step are kept
/// under TestResults/screenshots.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PortalJourneyTests
{
    private static readonly Dictionary<string, string> EmailMode = new() { ["Verification__Mode"] = "Email" };

    private static string ArmoredKey(params string[] userIds)
    {
        var primary = TestKeys.NewKeyPair();
        return TestKeys.Armor(TestKeys.Certificate(primary, userIds).GetEncoded());
    }

    [Fact]
    public async Task UploadVerifySearchManageUnpublish_WorksInBrowser()
    {
        const string address = "alice@example.org";
        await using var server = await KeyserverProcess.StartAsync(env: EmailMode);
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "journey");
        var page = browser.Page;

        await page.GotoAsync("/upload");
        await page.GetByLabel("Armored public key").FillAsync(ArmoredKey($"Alice Example <{address}>"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(page.Locator("ul.mailed li")).ToHaveTextAsync(address);
        await browser.ScreenshotAsync("uploaded");

        // Searching before confirmation finds nothing: the identity is still pending.
        await page.GotoAsync($"/?q={address}");
        await Assertions.Expect(page.Locator("#results-heading")).ToHaveTextAsync("No published key matches.");

        var verify = await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "verify");
        await page.GotoAsync(verify);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Publish your identity?");
        await browser.ScreenshotAsync("verify-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Published");
        await browser.ScreenshotAsync("published");

        await page.GotoAsync("/");
        await page.GetByLabel("E-mail address, key ID, fingerprint or words of a name").FillAsync(address);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("article.key")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("article.key ul.uids li")).ToHaveTextAsync($"Alice Example <{address}>");
        await browser.ScreenshotAsync("search");

        await page.Locator("article.key h3 a").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Key");
        await Assertions.Expect(page.Locator("pre code").First).ToContainTextAsync("gpg --keyserver hkp://");
        await browser.ScreenshotAsync("key-page");

        await page.GotoAsync("/manage");
        await page.GetByLabel("E-mail address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send link" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("If that address has published keys");
        await browser.ScreenshotAsync("manage-requested");

        var manage = await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "manage");
        await page.GotoAsync(manage);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Keys of {address}");
        await browser.ScreenshotAsync("manage-keys");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Unpublish Alice Example <{address}>" }).ClickAsync();
        // The key's last published identity: withdrawing it asks first.
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, withdraw it" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("The identity was withdrawn.");
        await browser.ScreenshotAsync("unpublished");

        await page.GotoAsync($"/?q={address}");
        await Assertions.Expect(page.Locator("#results-heading")).ToHaveTextAsync("No published key matches.");
        await browser.ScreenshotAsync("search-after-unpublish");
    }

    [Fact]
    public async Task HostileUserId_IsShownAsTextAndRunsNoScript()
    {
        const string hostile = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"> <evil@example.org>";
        await using var server = await KeyserverProcess.StartAsync(env: EmailMode);
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "hostile");
        var page = browser.Page;
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync("/upload");
        await page.GetByLabel("Armored public key").FillAsync(ArmoredKey(hostile));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        // Once in the new identities, once beside its "send the confirmation mail again" button.
        await Assertions.Expect(page.Locator(".outcome .uid")).ToHaveTextAsync([hostile, hostile]);
        await Assertions.Expect(page.Locator(".outcome img")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
        Assert.Equal(0, dialogs);
        await browser.ScreenshotAsync("hostile-upload");
    }

    [Fact]
    public async Task PostsWithoutAntiforgeryToken_AreRefused()
    {
        await using var server = await KeyserverProcess.StartAsync(env: EmailMode);
        using var client = server.CreateClient();
        var token = new string('A', 43);

        using var verify = await client.PostAsync($"/verify/{token}", new FormUrlEncodedContent([new("_handler", "publish")]));
        using var manage = await client.PostAsync("/manage", new FormUrlEncodedContent([new("_handler", "manage"), new("Address", "a@example.org")]));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, verify.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, manage.StatusCode);
        Assert.DoesNotContain("   at ", await verify.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NarrowScreen_KeepsSearchUsable()
    {
        await using var server = await KeyserverProcess.StartAsync();
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "phone", new ViewportSize { Width = 360, Height = 740 });
        var page = browser.Page;

        await page.GotoAsync("/");

        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"page is {width}px wide on a 360px screen");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator(".skip")).ToBeFocusedAsync();
        await browser.ScreenshotAsync("phone-search");
    }
}
