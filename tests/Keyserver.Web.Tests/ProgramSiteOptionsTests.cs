using Keyserver.Web.Tests.Infrastructure;

namespace Keyserver.Web.Tests;

/// <summary>Bad <c>Site:*</c> settings stop the real host at start with one line naming the key.</summary>
public partial class ProgramTests
{
    [Theory]
    [InlineData("--Site:AccentColor=yellow", "Site:AccentColor")]
    [InlineData("--Site:AccentColor=#ffff66", "Site:AccentColor")]
    [InlineData("--Site:LogoFile=/nonexistent/logo.svg", "Site:LogoFile")]
    [InlineData("--Site:PrivacyUrl=javascript:alert(1)", "Site:PrivacyUrl")]
    [InlineData("--Site:ContactUrl=/contact", "Site:ContactUrl")]
    public async Task BadSiteOption_StopsTheHostWithOneLineNamingTheKey(string setting, string key)
    {
        using var data = new TempDirectory();

        var (exitCode, _, error) = await RunAsync(setting, "--Storage:DataDirectory=" + data.Path, "--urls=http://127.0.0.1:0");

        Assert.Equal(3, exitCode);
        Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
