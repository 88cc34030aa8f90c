namespace Keyserver.Web.Tests;

/// <summary>The real entry point as an operator meets it: processes started from the built dll.</summary>
public class ProgramTests
{
    public static TheoryData<string, string> BadOptions => new()
    {
        { "--Limits:MaxUploadBytes=-1", "Limits:MaxUploadBytes" },
        { "--Search:MaxResults=0", "Search:MaxResults" },
        { "--RateLimit:PermitsPerMinute=-3", "RateLimit:PermitsPerMinute" },
        { "--Verification:Mode=Carrier-Pigeon", "Verification:Mode" },
        { "--Site:AccentColor=yellow", "Site:AccentColor" },
        { "--Site:AccentColor=#ffff66", "Site:AccentColor" },
        { "--Site:LogoFile=/nonexistent/logo.svg", "Site:LogoFile" },
        { "--Site:PrivacyUrl=javascript:alert(1)", "Site:PrivacyUrl" },
        { "--Site:ContactUrl=/contact", "Site:ContactUrl" },
    };

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task BadOption_StopsTheHostWithMessageNamingTheKey(string setting, string key)
    {
        using var data = new TempDirectory();

        using var server = await ServerProcess.RunAsync([setting, "--Storage:DataDirectory=" + data.Path, "--urls=http://127.0.0.1:0"]);

        Assert.Equal(3, server.ExitCode);
        Assert.Contains("Invalid configuration", server.Error, StringComparison.Ordinal);
        Assert.Contains(key, server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Error, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [InlineData("import", "/usr/share/keyrings/debian-role-keys.gpg")]
    [InlineData("dump", "out")]
    public async Task BadOption_MaintenanceCommand_OneLineNoStackTrace(params string[] command)
    {
        using var data = new TempDirectory();

        using var server = await ServerProcess.RunAsync(
            command, ("RateLimit__LookupsPerMinute", "0"), ("Storage__DataDirectory", data.Path));

        Assert.Equal(3, server.ExitCode);
        Assert.Contains("RateLimit:LookupsPerMinute", server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Error, StringComparison.Ordinal);
        Assert.Single(server.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [InlineData("--urls=http://127.0.0.1:0")]
    [InlineData("import", "/usr/share/keyrings/debian-role-keys.gpg")]
    [InlineData("dump")]
    public async Task DataDirectoryUnusable_StopsWithMessage(params string[] command)
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        string[] args = command[0] == "dump" ? [.. command, Path.Combine(temp.Path, "dump")] : command;

        using var server = await ServerProcess.RunAsync(args, ("Storage__DataDirectory", file));

        Assert.Equal(1, server.ExitCode);
        Assert.Contains("Cannot open the key store", server.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "dump")));
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public async Task RealServer_Http10_KestrelBodyLimit_AndHealthcheckCommand()
    {
        using var data = new TempDirectory();
        using var server = ServerProcess.Start(["--urls=http://127.0.0.1:0", "--Storage:DataDirectory=" + data.Path, "--Limits:MaxUploadBytes=1000"]);
        var port = (await server.ListeningAsync()).Port;

        // gpg's HTTP/1.0 request with its headers and no User-Agent.
        var stats = await RawRequestAsync(port, "GET /pks/lookup?op=stats&options=mr HTTP/1.0\r\nHost: localhost\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", stats, StringComparison.Ordinal);
        Assert.Contains("\"keys\":0", stats, StringComparison.Ordinal);

        // Over the limit, with the length declared: refused before the body is read.
        var body = "keytext=" + new string('A', 2000);
        var upload = await RawRequestAsync(port, $"POST /pks/add HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        Assert.StartsWith("HTTP/1.1 413", upload, StringComparison.Ordinal);
        Assert.Contains("larger than 1000 bytes", upload, StringComparison.Ordinal);

        // Chunked, so only Kestrel's MaxRequestBodySize can stop it while reading.
        var chunked = await RawRequestAsync(port, $"POST /pks/add HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/pgp-keys\r\nTransfer-Encoding: chunked\r\n\r\n{body.Length:X}\r\n{body}\r\n0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 413", chunked, StringComparison.Ordinal);

        using var healthy = await ServerProcess.RunAsync(["healthcheck", $"http://127.0.0.1:{port}/healthz"]);
        Assert.Equal(0, healthy.ExitCode);
        using var unhealthy = await ServerProcess.RunAsync(["healthcheck", $"http://127.0.0.1:{port}/missing"]);
        Assert.Equal(1, unhealthy.ExitCode);
    }

    private static async Task<string> RawRequestAsync(int port, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response);
        }
        catch (IOException)
        {
            // The server may reset the connection after answering a body it refused to read.
        }

        return Encoding.ASCII.GetString(response.ToArray());
    }
}
