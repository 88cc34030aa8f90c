using Bunit;
using Keyserver.Web.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Keyserver.Web.Tests.Components.Layout;

public sealed class MainLayoutTests : BunitContext
{
    [Fact]
    public void Layout_HasLandmarksSkipLinkAndNavigation()
    {
        var page = Render<MainLayout>(p => p.Add(c => c.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>Body</h1>"))));

        Assert.Equal("#main", page.Find("a.skip").GetAttribute("href"));
        Assert.NotNull(page.Find("header nav[aria-label=Main]"));
        Assert.Equal("Body", page.Find("main#main h1").TextContent);
        Assert.Equal(["/", "/upload", "/manage", "/about"], page.FindAll("nav a").Select(a => a.GetAttribute("href")));
        Assert.NotNull(page.Find("footer a[href='/about#privacy']"));
    }
}
