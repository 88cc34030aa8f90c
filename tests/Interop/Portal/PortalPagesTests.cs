using Deque.AxeCore.Playwright;

namespace Interop.Tests.Portal;

/// <summary>
/// Every page of the portal in Debian's Chromium at desktop (1280 px) and phone (390 px) width:
/// a screenshot of each under TestResults/screenshots/pages-WIDTH, axe-core finds no serious or
/// critical accessibility violation, and nothing is wider than the screen.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PortalPagesTests
{
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task EveryPage_IsAccessibleAndFitsTheScreen(int width, int height)
    {
        var address = $"pages-{Guid.NewGuid():N}@example.org";
        var other = $"pending-{Guid.NewGuid():N}@example.org";
        var key = TestKeys.Certificate(TestKeys.NewKeyPair(), $"Page Tour <{address}>", "Page Tour (no address)");
        var fingerprint = TestKeys.Fingerprint(key.GetPublicKey());
        await using var server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string>
        {
            ["Verification__Mode"] = "Email",
            ["RateLimit__PermitsPerMinute"] = "1000000",
            ["Keyserver__PublicUrl"] = "http://127.0.0.1:{port}",
            ["Site__Name"] = "Example Lab",
            ["Site__Welcome"] = "OpenPGP keys of the Example Lab's staff and build machines.",
            ["Site__ContactUrl"] = "mailto:security@example.org",
            ["Site__PrivacyUrl"] = "/about#privacy",
        });
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, $"pages-{width}", new ViewportSize { Width = width, Height = height });
        var page = browser.Page;
        var problems = new List<string>();

        // A published key, a pending one, a verify link and a manage link to look at.
        await page.GotoAsync("/upload");
        await page.GetByLabel("Armored public key").FillAsync(TestKeys.Armor(key.GetEncoded()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await CheckAsync(browser, width, problems, "upload-result");
        await page.GotoAsync(await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "verify"));
        await CheckAsync(browser, width, problems, "verify");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await CheckAsync(browser, width, problems, "published");
        await page.GotoAsync("/upload");
        await page.GetByLabel("Armored public key").FillAsync(TestKeys.Armor(TestKeys.Certificate(TestKeys.NewKeyPair(), $"Pending <{other}>").GetEncoded()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GotoAsync("/manage");
        await page.GetByLabel("E-mail address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send link" }).ClickAsync();
        await CheckAsync(browser, width, problems, "manage-requested");
        var manage = await PickupMail.WaitForLinkPathAsync(server.DataDirectory, address, "manage");

        foreach (var (path, name) in new[]
        {
            ("/", "home"),
            ($"/?q={address}", "search"),
            ("/?q=0x", "search-error"),
            ($"/keys/{fingerprint}", "key"),
            ("/upload", "upload"),
            ("/manage", "manage"),
            (manage, "manage-keys"),
            ("/resend", "resend"),
            ("/stats", "stats"),
            ("/about", "about"),
            ("/about/api", "api"),
            ("/no/such/page", "not-found"),
            ("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "unknown-link"),
        })
        {
            await page.GotoAsync(path);
            await CheckAsync(browser, width, problems, name);
        }

        await page.GotoAsync(manage);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete the whole key {fingerprint}" }).ClickAsync();
        await CheckAsync(browser, width, problems, "delete-asks");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    // Collects what is wrong on every page, so one run names all of it.
    private static async Task CheckAsync(PortalBrowser browser, int width, List<string> problems, string name)
    {
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(name);

        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (scrollWidth > width)
        {
            problems.Add($"{name} ({page.Url}) is {scrollWidth}px wide on a {width}px screen");
        }

        var result = await page.RunAxe();
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name} ({page.Url}) at {width}px: {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
        problems.AddRange(serious);
    }
}
