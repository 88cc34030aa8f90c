using SifSign.Tests.Keys;

namespace SifSign.Tests.Hkp;

public class KeyserverConfigTests
{
    [Fact]
    public void AddThenRead_KeepsOrderAndRefusesDuplicates()
    {
        using var dir = new TempDirectory();
        var config = new KeyserverConfig(Path.Combine(dir.Path, "sifsign", "config.toml"));

        Assert.True(config.Add("https://first.example.org"));
        Assert.True(config.Add("hkp://second.example.org"));
        Assert.False(config.Add("https://first.example.org"));

        Assert.Equal(["https://first.example.org", "hkp://second.example.org"], config.Read());
        Assert.Contains("keyservers", File.ReadAllText(config.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_ListedAndUnlisted_ReportsWhetherRemoved()
    {
        using var dir = new TempDirectory();
        var config = new KeyserverConfig(Path.Combine(dir.Path, "config.toml"));
        config.Add("https://first.example.org");

        Assert.False(config.Remove("https://other.example.org"));
        Assert.True(config.Remove("https://first.example.org"));
        Assert.Empty(config.Read());
    }

    [Fact]
    public void Add_InvalidUrl_ThrowsAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var config = new KeyserverConfig(Path.Combine(dir.Path, "config.toml"));

        Assert.Throws<HkpException>(() => config.Add("gopher://x"));
        Assert.False(File.Exists(config.Path));
    }

    [Theory]
    [InlineData("keyservers = [")]
    [InlineData("keyservers = 42")]
    [InlineData("keyservers = [1, 2]")]
    public void Read_MalformedFile_ThrowsHkpExceptionNamingFile(string content)
    {
        using var dir = new TempDirectory();
        var config = new KeyserverConfig(Path.Combine(dir.Path, "config.toml"));
        File.WriteAllText(config.Path, content);

        var e = Assert.Throws<HkpException>(() => config.Read());
        Assert.Contains(config.Path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultPath_XdgConfigHome_IsUsed()
    {
        Assert.Equal("/cfg/sifsign/config.toml", KeyserverConfig.DefaultPath(name => name == "XDG_CONFIG_HOME" ? "/cfg" : null, "/home/u"));
        Assert.Equal("/home/u/.config/sifsign/config.toml", KeyserverConfig.DefaultPath(_ => null, "/home/u"));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "relative/config")]
    [InlineData("relative/home", null)]
    public void DefaultPath_NoUsableHomeOrXdg_IsNullNeverRelative(string? home, string? xdg)
    {
        Assert.Null(KeyserverConfig.DefaultPath(name => name == "XDG_CONFIG_HOME" ? xdg : null, home));
    }

    [Fact]
    public void AddWithOrder_InsecureAndLogin_RoundTripAndRemoveForgetsAll()
    {
        using var dir = new TempDirectory();
        var config = new KeyserverConfig(Path.Combine(dir.Path, "config.toml"));
        config.Add("https://a.example.org");

        Assert.True(config.Add("https://b.example.org", order: 1, insecure: true));
        config.Login("https://b.example.org", new KeyserverCredentials("alice", "pw \"quoted\""));

        Assert.Equal(["https://b.example.org", "https://a.example.org"], config.Read());
        Assert.True(config.IsInsecure("https://b.example.org"));
        Assert.False(config.IsInsecure("https://a.example.org"));
        Assert.Equal(new KeyserverCredentials("alice", "pw \"quoted\""), config.FindCredentials("https://b.example.org"));
        Assert.Null(config.FindCredentials("https://a.example.org"));
        Assert.Equal("alice:***", config.FindCredentials("https://b.example.org")!.ToString());

        Assert.True(config.Remove("https://b.example.org"));
        Assert.False(config.IsInsecure("https://b.example.org"));
        Assert.Null(config.FindCredentials("https://b.example.org"));
        Assert.DoesNotContain("alice", File.ReadAllText(config.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedCredentials_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        var config = new KeyserverConfig(Path.Combine(dir.Path, "config.toml"));
        File.WriteAllText(config.Path, "keyservers = []\n[[credentials]]\nurl = \"https://a\"\n");

        var e = Assert.Throws<HkpException>(() => config.FindCredentials("https://a"));

        Assert.Contains("needs the strings url, username and password", e.Message, StringComparison.Ordinal);
    }
}
