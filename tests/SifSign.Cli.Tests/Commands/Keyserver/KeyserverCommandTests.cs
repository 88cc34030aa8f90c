using SifSign.Cli.Tests.TestSupport;

namespace SifSign.Cli.Tests.Commands.Keyserver;

public class KeyserverCommandTests
{
    [Fact]
    public void AddListRemove_RoundTrip()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("keyserver", "add", "hkps://keys.example.org"));
        Assert.Equal(0, cli.Run("keyserver", "add", "http://127.0.0.1:8080"));
        Assert.Equal(0, cli.Run("keyserver", "list"));
        Assert.Equal("hkps://keys.example.org\t(default)\nhttp://127.0.0.1:8080\n", cli.Out.ToString().ReplaceLineEndings("\n"));

        Assert.Equal(0, cli.Run("keyserver", "remove", "hkps://keys.example.org"));
        cli.Run("keyserver", "list");
        Assert.Equal("http://127.0.0.1:8080\t(default)\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.True(File.Exists(Path.Combine(cli.Home, ".config", "sifsign", "config.toml")));
    }

    [Fact]
    public void Add_Duplicate_Fails()
    {
        using var cli = new CliHarness();
        cli.Run("keyserver", "add", "https://k.test");

        Assert.Equal(ExitCodes.Failure, cli.Run("keyserver", "add", "https://k.test"));
        Assert.Contains("already configured", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_BadUrl_FailsWithReason()
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.Failure, cli.Run("keyserver", "add", "ftp://k.test"));
        Assert.Contains("FATAL:   invalid keyserver URL 'ftp://k.test': scheme 'ftp' is not one of hkp, hkps, http, https", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_Unknown_Fails()
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.Failure, cli.Run("keyserver", "remove", "https://k.test"));
        Assert.Contains("is not configured", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void List_Nothing_SaysHowToConfigure()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("keyserver", "list"));
        Assert.Contains("no keyserver configured", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void List_EnvironmentVariable_ShownFirst()
    {
        using var cli = new CliHarness();
        cli.Environment["SIFSIGN_KEYSERVER"] = "https://env.test";

        cli.Run("keyserver", "list");

        Assert.StartsWith("https://env.test\t(from $SIFSIGN_KEYSERVER, used first)", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptConfig_FailsWithFileName()
    {
        using var cli = new CliHarness();
        var path = Path.Combine(cli.Home, ".config", "sifsign", "config.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "keyservers = [");

        Assert.Equal(ExitCodes.Failure, cli.Run("keyserver", "list"));
        Assert.Contains(path, cli.Error.ToString(), StringComparison.Ordinal);
    }
}
