namespace Keyserver.Web.Tests.Options;

public sealed class SiteOptionsTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Defaults_AreValid() => Assert.Null(new SiteOptions().Problem(_root.Path));

    [Theory]
    [InlineData("#0b57d0")]
    [InlineData("#000000")]
    [InlineData("#B3261E")]
    public void ReadableAccentColor_IsValid(string color) => Assert.Null(new SiteOptions { AccentColor = color }.Problem(_root.Path));

    [Theory]
    [InlineData("blue", "#rrggbb")]
    [InlineData("#fff", "#rrggbb")]
    [InlineData("#0b57d0; } body { display:none", "#rrggbb")]
    [InlineData("#ffff00", "too light")]
    [InlineData("#ffffff", "too light")]
    public void BadAccentColor_NamesTheKey(string color, string fragment)
    {
        var problem = new SiteOptions { AccentColor = color }.Problem(_root.Path);

        Assert.NotNull(problem);
        Assert.StartsWith("Site:AccentColor", problem);
        Assert.Contains(fragment, problem);
    }

    [Theory]
    [InlineData("/about#privacy")]
    [InlineData("/privacy")]
    [InlineData("https://example.org/privacy?lang=en")]
    public void GoodPrivacyUrl_IsValid(string url) => Assert.Null(new SiteOptions { PrivacyUrl = url }.Problem(_root.Path));

    [Theory]
    [InlineData("/privacy notice")]
    [InlineData("javascript:alert(1)")]
    [InlineData("//evil.example/privacy")]
    [InlineData("privacy.html")]
    [InlineData("ftp://example.org/privacy")]
    public void BadPrivacyUrl_NamesTheKey(string url) =>
        Assert.StartsWith("Site:PrivacyUrl", new SiteOptions { PrivacyUrl = url }.Problem(_root.Path));

    [Theory]
    [InlineData("mailto:security@example.org", true)]
    [InlineData("https://example.org/contact", true)]
    [InlineData("/contact", false)]
    [InlineData("javascript:alert(1)", false)]
    public void ContactUrl_IsMailtoOrAbsolute(string url, bool valid) =>
        Assert.Equal(valid, new SiteOptions { ContactUrl = url }.Problem(_root.Path) is null);

    [Fact]
    public void EmptyOrLongName_IsRefused()
    {
        Assert.StartsWith("Site:Name", new SiteOptions { Name = " " }.Problem(_root.Path));
        Assert.StartsWith("Site:Name", new SiteOptions { Name = new string('x', 81) }.Problem(_root.Path));
    }

    [Fact]
    public void LongWelcome_IsRefused() =>
        Assert.StartsWith("Site:Welcome", new SiteOptions { Welcome = new string('x', SiteOptions.MaxWelcomeLength + 1) }.Problem(_root.Path));

    [Fact]
    public void LogoFile_MustExistBeAnImageAndSmall()
    {
        File.WriteAllText(Path.Combine(_root.Path, "logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        File.WriteAllText(Path.Combine(_root.Path, "logo.exe"), "MZ");
        File.WriteAllBytes(Path.Combine(_root.Path, "huge.png"), new byte[SiteOptions.MaxLogoBytes + 1]);

        Assert.Null(new SiteOptions { LogoFile = "logo.svg" }.Problem(_root.Path));
        Assert.Contains("does not exist", new SiteOptions { LogoFile = "missing.svg" }.Problem(_root.Path));
        Assert.Contains(".svg, .png", new SiteOptions { LogoFile = "logo.exe" }.Problem(_root.Path));
        Assert.Contains("at most", new SiteOptions { LogoFile = "huge.png" }.Problem(_root.Path));
    }

    [Fact]
    public async Task Host_ServesThemeLogoSecurityTxtAndShowsTheSettings()
    {
        using var data = new TempDirectory();
        var logo = Path.Combine(data.Path, "logo.svg");
        await File.WriteAllTextAsync(logo, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>");
        using var factory = KeyserverFactory.With(
            ("Site:Name", "Example Lab"),
            ("Site:AccentColor", "#7a1fa2"),
            ("Site:LogoFile", logo),
            ("Site:ContactUrl", "mailto:security@example.org"),
            ("Site:Welcome", "Keys of the Example Lab <staff>."));
        using var client = factory.CreateClient();

        var home = await client.GetStringAsync("/");
        var theme = await client.GetStringAsync("/site-theme.css");
        using var logoResponse = await client.GetAsync("/site-logo");
        var security = await client.GetStringAsync("/.well-known/security.txt");

        Assert.Contains("Example Lab OpenPGP keyserver", home);
        Assert.Contains("Keys of the Example Lab &lt;staff&gt;.", home);
        Assert.Contains("--accent: #7a1fa2;", theme);
        Assert.Equal("image/svg+xml", logoResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Contact: mailto:security@example.org\n", security);
        Assert.Matches("Expires: \\d{4}-\\d\\d-\\d\\dT00:00:00Z\n", security);
    }

    [Fact]
    public async Task Host_WithoutContact_HasNoSecurityTxtOrLogo()
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();

        using var security = await client.GetAsync("/.well-known/security.txt");
        using var logo = await client.GetAsync("/site-logo");

        Assert.Equal(HttpStatusCode.NotFound, security.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, logo.StatusCode);
    }

    [Fact]
    public async Task Host_ServesRobotsTxtAndFavicon()
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();

        var robots = await client.GetStringAsync("/robots.txt");
        using var favicon = await client.GetAsync("/favicon.svg");

        foreach (var path in new[] { "/verify/", "/manage", "/pks/" })
        {
            Assert.Contains($"Disallow: {path}\n", robots);
        }

        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Equal("image/svg+xml", favicon.Content.Headers.ContentType?.MediaType);
    }
}
