using Keyserver.Web.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Keyserver.Web.Tests.Components.Layout;

public sealed class MainLayoutTests : BunitContext
{
    private IRenderedComponent<MainLayout> RenderLayout(Action<SiteOptions>? configure = null)
    {
        Services.AddOptions<SiteOptions>().Configure(o => configure?.Invoke(o));
        return Render<MainLayout>(p => p.Add(c => c.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>Body</h1>"))));
    }

    [Fact]
    public void Layout_HasLandmarksSkipLinkAndNavigation()
    {
        var page = RenderLayout();

        Assert.Equal("#main", page.Find("a.skip").GetAttribute("href"));
        Assert.NotNull(page.Find("header nav[aria-label=Main]"));
        Assert.Equal("Body", page.Find("main#main h1").TextContent);
        Assert.Equal(["/", "/upload", "/manage", "/stats", "/about"], page.FindAll("header nav a").Select(a => a.GetAttribute("href")));
        Assert.NotNull(page.Find("footer a[href='/about#privacy']"));
        Assert.Empty(page.FindAll("header img"));
        Assert.Equal("Keyserver", page.Find("header .brand").TextContent.Trim());
    }

    [Fact]
    public void SiteOptions_NameLogoAndFooterLinksAreShown()
    {
        var page = RenderLayout(o =>
        {
            o.Name = "Example University <Physics>";
            o.LogoFile = "logo.svg";
            o.PrivacyUrl = "https://example.org/privacy";
            o.ImprintUrl = "/imprint";
            o.ContactUrl = "mailto:pgp@example.org";
        });

        Assert.Equal("Example University <Physics>", page.Find("header .brand span").TextContent);
        Assert.Equal("/site-logo", page.Find("header img.logo").GetAttribute("src"));
        Assert.Equal(
            ["https://example.org/privacy", "/imprint", "mailto:pgp@example.org", "/about/api"],
            page.FindAll("footer nav a").Select(a => a.GetAttribute("href")));
        Assert.Contains("Example University &lt;Physics&gt; runs this", page.Markup);
    }
}
