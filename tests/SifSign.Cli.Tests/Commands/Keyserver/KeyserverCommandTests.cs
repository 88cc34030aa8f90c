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

    /// <summary>Each refused command line exits 1 with Apptainer's reason on stderr; the comment names the test it replaced.</summary>
    [Theory]
    [InlineData("FATAL:   invalid keyserver URL 'ftp://k.test': scheme 'ftp' is not one of hkp, hkps, http, https", "keyserver", "add", "ftp://k.test")] // Add_BadUrl_FailsWithReason
    [InlineData("is not configured", "keyserver", "remove", "https://k.test")] // Remove_Unknown_Fails
    [InlineData("order must be > 0", "keyserver", "add", "--order", "0", "https://a.test")] // Add_OrderZero_FailsAsApptainer
    [InlineData("no password given", "keyserver", "login", "-u", "alice", "https://a.test")] // Login_NoPassword_FailsWithReason
    [InlineData("may not contain ':'", "keyserver", "login", "-u", "a:b", "-p", "x", "https://a.test")] // Login_ColonInUserName_Refused
    [InlineData("not logged in to https://a.test", "keyserver", "logout", "https://a.test")] // Logout_NotLoggedIn_Fails
    public void RefusedInput_FailsWithReason(string reason, params string[] args)
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.Failure, cli.Run(args));
        Assert.Contains(reason, cli.Error.ToString(), StringComparison.Ordinal);
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

    [Fact]
    public void Add_Order_InsertsAtPosition()
    {
        using var cli = new CliHarness();
        cli.Run("keyserver", "add", "https://a.test");
        cli.Run("keyserver", "add", "https://b.test");

        Assert.Equal(0, cli.Run("keyserver", "add", "--order", "1", "--insecure", "https://c.test"));
        Assert.Equal(0, cli.Run("keyserver", "add", "-o", "2", "https://d.test"));

        cli.Run("keyserver", "list");
        Assert.Equal("https://c.test\t(default, insecure)\nhttps://d.test\nhttps://a.test\nhttps://b.test\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Add_ApptainerRemoteNameBeforeUrl_IsIgnored()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("keyserver", "add", "myremote", "https://a.test"));

        cli.Run("keyserver", "list");
        Assert.Equal("https://a.test\t(default)\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Config_Option_UsesThatFile()
    {
        using var cli = new CliHarness();
        var path = Path.Combine(cli.Home, "elsewhere.toml");

        Assert.Equal(0, cli.Run("keyserver", "--config", path, "add", "https://a.test"));
        Assert.Equal(0, cli.Run("keyserver", "list", "-c", path));

        Assert.Contains("a.test", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal("https://a.test\t(default)\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.False(File.Exists(Path.Combine(cli.Home, ".config", "sifsign", "config.toml")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Login_StoresCredentialsMode0600_SentOnlyToThatKeyserver()
    {
        using var cli = new CliHarness();
        cli.Run("keyserver", "add", "https://a.test");

        Assert.Equal(0, cli.Run("keyserver", "login", "-u", "alice", "-p", "s3cret", "https://a.test"));

        var path = Path.Combine(cli.Home, ".config", "sifsign", "config.toml");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        cli.Keyserver = _ => CliHarness.Respond(System.Net.HttpStatusCode.NotFound, string.Empty);
        cli.Run("key", "search", "--url", "https://a.test", "x");
        cli.Run("key", "search", "--url", "https://b.test", "x");
        Assert.Equal("Basic", cli.Requests[0].Headers.Authorization?.Scheme);
        Assert.Equal(Convert.ToBase64String("alice:s3cret"u8.ToArray()), cli.Requests[0].Headers.Authorization?.Parameter);
        Assert.Null(cli.Requests[1].Headers.Authorization);

        Assert.Equal(0, cli.Run("keyserver", "logout", "https://a.test"));
        cli.Run("key", "search", "--url", "https://a.test", "x");
        Assert.Null(cli.Requests[2].Headers.Authorization);
        Assert.DoesNotContain("s3cret", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
