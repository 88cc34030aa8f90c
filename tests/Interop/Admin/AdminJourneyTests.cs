using Interop.Tests.Portal;

namespace Interop.Tests.Admin;

/// <summary>
/// The admin console in Debian's Chromium against the real server process, with mail through a
/// loopback SMTP server: sign in by a mailed link, the dashboard, find a pending key gpg uploaded,
/// delete and block it, gpg's re-upload refused, every step in the audit log.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class AdminJourneyTests
{
    private const string Admin = "admin@example.org";
    private const string Stranger = "stranger@example.org";
    private const string Mallory = "mallory@example.org";

    [Fact]
    public async Task SignInFindDeleteBlock_ReuploadRefused_AuditShowsEachStep()
    {
        using var smtp = LoopbackSmtpServer.Start();
        var env = MailLinks.ServerEnvironment(smtp.Port);
        // An http public URL: the browser reaches the server over plain http on loopback, and the
        // session cookie is Secure only when the public URL is https.
        env["Keyserver__PublicUrl"] = "http://keys.example.test";
        env["Admin__Addresses__0"] = Admin;
        await using var server = await KeyserverProcess.StartAsync(env: env);
        using var gpg = GpgHome.Create(server.BaseUri);
        var fingerprint = gpg.GenerateKey($"Mallory <{Mallory}>");
        gpg.Run("--send-keys", fingerprint).EnsureSuccess();
        await using var browser = await PortalBrowser.LaunchAsync(server.BaseUri, "admin-journey");
        var page = browser.Page;

        // Without a session every admin page leads to the sign-in page.
        await page.GotoAsync("/admin/keys");
        Assert.EndsWith("/admin/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await RequestLinkAsync(page, Stranger);
        var strangerAnswer = await page.Locator("[role=status]").TextContentAsync();
        await RequestLinkAsync(page, Admin);
        Assert.Equal(strangerAnswer, await page.Locator("[role=status]").TextContentAsync());
        await browser.ScreenshotAsync("link-requested");

        var mail = await smtp.Mailbox.WaitForAsync(Admin);
        Assert.Empty(smtp.Mailbox.To(Stranger));
        var link = new Uri(MailComposerLink(mail)).AbsolutePath;
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Sign in as {Admin}?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await Assertions.Expect(page.Locator("#identities-pending")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("figure.chart svg")).ToHaveCountAsync(4);
        await browser.ScreenshotAsync("dashboard");

        await page.GetByRole(AriaRole.Link, new() { Name = "Keys", Exact = true }).ClickAsync();
        await page.GetByLabel("Search").FillAsync(Mallory);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#key-results .status")).ToHaveTextAsync("waiting for confirmation");
        await browser.ScreenshotAsync("pending-found");
        await page.Locator($"#key-results a[href='/admin/keys/{fingerprint}']").ClickAsync();
        await Assertions.Expect(page.Locator("#identities .uid")).ToHaveTextAsync($"Mallory <{Mallory}>");
        await Assertions.Expect(page.GetByLabel("Also block this fingerprint")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete the key" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Done: key deleted");
        await browser.ScreenshotAsync("deleted-and-blocked");

        var again = await gpg.RunAsync("--send-keys", fingerprint);
        using var http = server.CreateClient();
        using var lookup = await http.GetAsync($"/pks/lookup?op=get&search=0x{fingerprint}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.True(again.ExitCode != 0 || again.StandardError.Contains("blocked", StringComparison.OrdinalIgnoreCase), again.ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = "Block lists" }).ClickAsync();
        await Assertions.Expect(page.Locator("#blocks")).ToContainTextAsync(fingerprint);
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByLabel("Fingerprint or address").FillAsync(fingerprint);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var actions = await page.Locator("table.audit tbody tr td:nth-child(3)").AllTextContentsAsync();
        Assert.Contains("block", actions);
        Assert.Contains("purge", actions);
        Assert.Contains("block-hit", actions);
        await browser.ScreenshotAsync("audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in to the admin console");
        await page.GotoAsync("/admin");
        Assert.EndsWith("/admin/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }

    private static async Task RequestLinkAsync(IPage page, string address)
    {
        await page.GotoAsync("/admin/signin");
        await page.GetByLabel("Your e-mail address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("If that address belongs to an admin");
    }

    private static string MailComposerLink(MimeKit.MimeMessage message) =>
        (message.TextBody ?? "").Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("http://keys.example.test/admin/signin/", StringComparison.Ordinal));
}
