namespace Keyserver.Web.Tests.Observability;

/// <summary>The server process as an operator meets it: failures in one line, --help, --version, its logs.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed partial class StartupTests
{
    [Fact]
    public async Task BusyPort_OneLineNamingPortAndSetting_ExitCode1()
    {
        using var data = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var server = await ServerProcess.RunAsync([$"--urls=http://127.0.0.1:{port}", "--Storage:DataDirectory=" + data.Path]);

        Assert.Equal(1, server.ExitCode);
        var line = Assert.Single(Lines(server.Error));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.Contains("--urls", line, StringComparison.Ordinal);
        Assert.DoesNotContain("key store", line, StringComparison.Ordinal);
        AssertNoStackTrace(server);
    }

    [Fact]
    public async Task StoreLockedByAnotherServer_OneLineNamingDataDirectorySetting_ExitCode1()
    {
        using var data = new TempDirectory();
        using var first = ServerProcess.Start(["--urls=http://127.0.0.1:0", "--Storage:DataDirectory=" + data.Path]);
        await first.ListeningAsync();

        using var second = await ServerProcess.RunAsync(["--urls=http://127.0.0.1:0", "--Storage:DataDirectory=" + data.Path]);

        Assert.Equal(1, second.ExitCode);
        var line = Assert.Single(Lines(second.Error));
        Assert.StartsWith("Cannot open the key store (Storage:DataDirectory):", line, StringComparison.Ordinal);
        Assert.Contains("in use by another server", line, StringComparison.Ordinal);
        AssertNoStackTrace(second);
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "--Limits:MaxUploadBytes=lots", "Limits:MaxUploadBytes" },
        { "--Metrics:Urls=http://127.0.0.1", "Metrics:Urls" },
        { "--Metrics:Urls=ftp://127.0.0.1:9091", "Metrics:Urls" },
        { "--Proxy:KnownProxies:0=not-an-address", "Proxy:KnownProxies" },
        { "--Proxy:KnownNetworks:0=10.0.0.0/99", "Proxy:KnownNetworks" },
        { "--urls=not a url", "--urls" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task BadSetting_OneLineNamingTheKey_ExitCode3(string setting, string key)
    {
        using var data = new TempDirectory();

        using var server = await ServerProcess.RunAsync([setting, "--Storage:DataDirectory=" + data.Path]);

        Assert.Equal(3, server.ExitCode);
        var line = Assert.Single(Lines(server.Error));
        Assert.StartsWith("Invalid configuration:", line, StringComparison.Ordinal);
        Assert.Contains(key, line, StringComparison.Ordinal);
        AssertNoStackTrace(server);
    }

    [Fact]
    public async Task Help_DescribesServerAndCommands_ExitCode0()
    {
        using var server = await ServerProcess.RunAsync(["--help"]);

        Assert.Equal(0, server.ExitCode);
        Assert.Contains("Without a command it runs the server", server.Output, StringComparison.Ordinal);
        Assert.Contains("--version", server.Output, StringComparison.Ordinal);
        foreach (var command in new[] { "import", "dump", "healthcheck" })
        {
            Assert.Contains(command, server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_PrintsTheAssemblyVersion_ExitCode0()
    {
        using var server = await ServerProcess.RunAsync(["--version"]);

        Assert.Equal(0, server.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", server.Output.Trim());
        Assert.Equal(new ServerInfo(TimeProvider.System).Version, server.Output.Trim());
    }

    [Fact]
    public async Task ConsoleLog_TimestampOnEveryLine_SummaryLine_RequestLineWithoutAddressOrToken_Sigterm0()
    {
        using var data = new TempDirectory();
        using var server = ServerProcess.Start(["--urls=http://127.0.0.1:0", "--Storage:DataDirectory=" + data.Path]);
        var url = await server.ListeningAsync();
        using (var http = new HttpClient { BaseAddress = url })
        {
            (await http.GetAsync(new Uri("pks/lookup?op=index&search=alice.secret%40example.org", UriKind.Relative))).Dispose();
            (await http.GetAsync(new Uri("verify/c2VjcmV0LXRva2VuLXZhbHVl", UriKind.Relative))).Dispose();
        }

        await server.StopAsync();

        Assert.Equal(0, server.ExitCode);
        var lines = Lines(server.Output);
        Assert.All(lines, line => Assert.Matches(TimestampedLine(), line));
        var summary = Assert.Single(lines, l => l.Contains("Keyserver listening on", StringComparison.Ordinal));
        Assert.Contains(url.ToString().TrimEnd('/'), summary, StringComparison.Ordinal);
        Assert.Contains(data.Path, summary, StringComparison.Ordinal);
        Assert.Contains("verification None", summary, StringComparison.Ordinal);
        Assert.Contains("mail to outbox folder " + Path.Combine(data.Path, "outbox"), summary, StringComparison.Ordinal);
        Assert.Contains("metrics on at /metrics", summary, StringComparison.Ordinal);

        Assert.Contains(lines, l => l.Contains("search=***@example.org", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/verify/***", StringComparison.Ordinal));
        Assert.DoesNotContain("alice.secret", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXRva2VuLXZhbHVl", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonFormatter_EveryLineIsJsonWithTimestamp()
    {
        using var data = new TempDirectory();
        using var server = ServerProcess.Start(
            ["--urls=http://127.0.0.1:0", "--Storage:DataDirectory=" + data.Path, "--Metrics:Enabled=false"],
            ("Logging__Console__FormatterName", "json"));
        await server.ListeningAsync();
        await server.StopAsync();

        var lines = Lines(server.Output);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", json.RootElement.GetProperty("Timestamp").GetString());
        }

        Assert.Contains(lines, l => l.Contains("metrics off", StringComparison.Ordinal));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertNoStackTrace(ServerProcess server)
    {
        Assert.DoesNotMatch(@"\n\s+at \S+\(", server.Output + server.Error);
        Assert.DoesNotContain("Exception", server.Output + server.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex TimestampedLine();
}
