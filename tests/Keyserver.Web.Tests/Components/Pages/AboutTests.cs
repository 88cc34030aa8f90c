namespace Keyserver.Web.Tests.Components.Pages;

public sealed class AboutTests : PortalContext
{
    [Fact]
    public void About_NamesClientCommandsForThePublicUrlAndThePrivacyPolicy()
    {
        var page = Render<About>();

        var commands = string.Join("\n", page.FindAll("pre code").Select(c => c.TextContent));
        Assert.Contains("gpg --keyserver hkps://keys.example.org --recv-keys", commands);
        Assert.Contains("apptainer key pull --url https://keys.example.org", commands);
        Assert.Contains("sq keyserver --server hkps://keys.example.org get", commands);
        Assert.NotNull(page.Find("h2#privacy"));
        Assert.Contains("/manage", page.Find("h2#privacy ~ p a").GetAttribute("href"));
    }
}
