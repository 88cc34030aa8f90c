namespace Interop.Tests.Portal;

/// <summary>
/// The traps an owner could fall into, walked through in Debian's Chromium against the real server:
/// delete and unpublish-last take two steps, a pasted secret key is refused and not echoed, the
/// confirmation mail can be sent again once, and unknown URLs get a styled 404.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PortalTrapTests
{
    private static readonly Dictionary<string, string> EmailMode = new()
    {
        ["Verification__Mode"] = "Email",
        ["RateLimit__PermitsPerMinute"] = "1000000",
    };

    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    private static async Task UploadInBrowserAsync(IPage page, string armored)
    {
        await page.GotoAsync("/upload");
        await page.GetByLabel("Armored public key").FillAsync(armored);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#outcome-heading, #secret-heading")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DeleteAndUnpublishLast_NeedASecondConfirmingStep()
    {
        var address = NewAddress("owner");
        var key = TestKeys.Certificate(TestKeys.NewKeyPair(), $"Owner <{address}>");
        var fingerprint = Convert.ToHexString(key.GetPublicKey().GetFingerprint());
        await using var server = await KeyserverProcess.StartAsync(env: EmailMode);
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "trap-delete");
        var page = browser.Page;
        await UploadInBrowserAsync(page, TestKeys.Armor(key.GetEncoded()));
        await page.GotoAsync(await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "verify"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Published");
        await page.GotoAsync("/manage");
        await page.GetByLabel("E-mail address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send link" }).ClickAsync();
        await page.GotoAsync(await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "manage"));

        await page.GetByRole(AriaRole.Button, new() { Name = $"Unpublish Owner <{address}>" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-heading")).ToHaveTextAsync("Withdraw the last published identity?");
        await browser.ScreenshotAsync("unpublish-last-asks");
        await page.GetByRole(AriaRole.Link, new() { Name = "No, keep it" }).ClickAsync();
        Assert.Equal(200, (await page.APIRequest.GetAsync($"/keys/{fingerprint}")).Status);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete the whole key {fingerprint}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-heading")).ToHaveTextAsync("Delete this key for good?");
        await Assertions.Expect(page.Locator("section.confirm")).ToContainTextAsync(string.Join(' ', fingerprint.Chunk(4).Select(c => new string(c))));
        await Assertions.Expect(page.Locator("section.confirm ul.uids li")).ToContainTextAsync($"Owner <{address}>");
        await browser.ScreenshotAsync("delete-asks");
        Assert.Equal(200, (await page.APIRequest.GetAsync($"/keys/{fingerprint}")).Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete the key" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("The key was deleted.");
        await browser.ScreenshotAsync("deleted");
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/keys/{fingerprint}")).Status);
    }

    [Fact]
    public async Task PastedSecretKey_IsRefusedAndNotEchoed()
    {
        using var gpg = GpgHome.Create();
        var fingerprint = gpg.GenerateKey($"Careless <{NewAddress("careless")}>");
        var secret = gpg.Run("--armor", "--export-secret-keys", fingerprint).EnsureSuccess().StandardOutput;
        await using var server = await KeyserverProcess.StartAsync(env: EmailMode);
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "trap-secret-key");
        var page = browser.Page;

        await UploadInBrowserAsync(page, secret);

        await Assertions.Expect(page.Locator("#secret-heading")).ToHaveTextAsync("That was a secret key");
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("It was not stored or logged");
        await Assertions.Expect(page.GetByLabel("Armored public key")).ToHaveValueAsync("");
        var html = await page.ContentAsync();
        Assert.DoesNotContain("PRIVATE KEY BLOCK", html);
        foreach (var line in secret.Split('\n').Where(l => l.Length > 40))
        {
            Assert.DoesNotContain(line.Trim(), html);
        }

        await browser.ScreenshotAsync("secret-key-refused");
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/pks/lookup?op=get&options=mr&search=0x{fingerprint}")).Status);
        Assert.DoesNotContain(secret.Split('\n')[3].Trim(), server.Output);
    }

    [Fact]
    public async Task ResendConfirmationMail_WorksOnceThenIsRateLimited()
    {
        var address = NewAddress("lost-mail");
        var barrier = NewAddress("barrier");
        await using var server = await KeyserverProcess.StartAsync(env: EmailMode);
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "trap-resend");
        var page = browser.Page;
        await UploadInBrowserAsync(page, TestKeys.Armor(TestKeys.Certificate(TestKeys.NewKeyPair(), $"Lost Mail <{address}>").GetEncoded()));
        var first = await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "verify");
        await browser.ScreenshotAsync("uploaded-with-resend");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Send the confirmation mail again to {address}" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("a new confirmation mail is on its way");
        var answer = await page.Locator("[role=status]").TextContentAsync();
        await browser.ScreenshotAsync("resent");
        // Safety net for a mail that never comes; not a performance threshold.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await PickupMail.CountToAsync(server.DataDirectory, address) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the resent mail never came");
            await Task.Delay(200);
        }

        // The resend page keeps the key and address: pressing again asks a second time.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync(answer!);

        // A later mail to another address is delivered after any earlier one: then count.
        await UploadInBrowserAsync(page, TestKeys.Armor(TestKeys.Certificate(TestKeys.NewKeyPair(), $"Barrier <{barrier}>").GetEncoded()));
        await PickupMail.WaitForLinkPathAsync(server.DataDirectory, barrier, "verify");
        Assert.Equal(2, await PickupMail.CountToAsync(server.DataDirectory, address));

        // The resent link works.
        var links = await PickupMail.LinkPathsToAsync(server.DataDirectory, address);
        var fresh = Assert.Single(links, l => l != first);
        await page.GotoAsync(fresh);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Publish your identity?");
    }

    [Theory]
    [MemberData(nameof(UnknownPaths))]
    public async Task UnknownUrlKeyOrToken_IsAStyled404(string path, string heading)
    {
        await using var server = await KeyserverProcess.StartAsync();
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "trap-404");
        var page = browser.Page;

        var response = await page.GotoAsync(path);

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading);
        await Assertions.Expect(page.Locator("header nav[aria-label=Main]")).ToBeVisibleAsync();
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header.site')).borderBottomStyle");
        Assert.Equal("solid", background);
        await browser.ScreenshotAsync(heading.Replace(' ', '-'));
    }

    public static TheoryData<string, string> UnknownPaths => new()
    {
        { "/no/such/page", "Page not found" },
        { "/keys/0123456789ABCDEF0123456789ABCDEF01234567", "Key not found" },
        { "/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "This link is not valid" },
        { "/manage/nonsense", "This link is not valid" },
    };
}
