namespace Interop.Tests.Portal;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver (no browser download), one fresh context
/// per test, with screenshots kept under the test output directory.
/// </summary>
internal sealed class PortalBrowser : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // Chromium run as root with no network beyond loopback needs these (ENVIRONMENT.md).
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _screenshots;
    private int _shot;

    private PortalBrowser(IPlaywright playwright, IBrowser browser, IPage page, string screenshots)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        _screenshots = screenshots;
    }

    public IPage Page { get; }

    /// <summary>Opens a page on <paramref name="baseUri"/>; screenshots go to TestResults/screenshots/<paramref name="name"/>.</summary>
    public static async Task<PortalBrowser> LaunchAsync(Uri baseUri, string name, ViewportSize? viewport = null)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseUri.ToString(),
                ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            });
            var page = await context.NewPageAsync();
            var screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name);
            Directory.CreateDirectory(screenshots);
            return new PortalBrowser(playwright, browser, page, screenshots);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task ScreenshotAsync(string step)
    {
        _shot++;
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(_screenshots, $"{_shot:00}-{step}.png"),
            FullPage = true,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
