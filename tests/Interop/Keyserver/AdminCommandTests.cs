namespace Interop.Tests.Keyserver;

/// <summary>
/// The server dll's <c>block</c>, <c>unblock</c>, <c>delete</c>, <c>audit export</c>, <c>import</c> and
/// <c>dump</c> against a running server (through its control socket) and a stopped one (opening the store).
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class AdminCommandTests : IDisposable
{
    private readonly string _dataDirectory = KeyserverProcess.CreateTempDirectory("ks-admin-");
    private readonly string _scratch = KeyserverProcess.CreateTempDirectory("ks-admin-scratch-");

    private string Socket => Path.Combine(_dataDirectory, "control.sock");

    [Fact]
    public async Task DeleteWithBlock_WhileServerRuns_KeyGoneAndGpgReuploadRefused_Audited()
    {
        await using var server = await KeyserverProcess.StartAsync(_dataDirectory);
        using var gpg = GpgHome.Create(server.BaseUri);
        var fingerprint = gpg.GenerateKey("Mallory <mallory@example.org>");
        gpg.Run("--send-keys", fingerprint).EnsureSuccess();
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetKeyAsync(fingerprint)).StatusCode);

        var delete = await RunAsync("delete", fingerprint.ToLowerInvariant(), "--block", "--reason", "abuse");

        Assert.True(delete.ExitCode == 0, delete.ToString() + server);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetKeyAsync(fingerprint)).StatusCode);
        gpg.Run("--send-keys", fingerprint);
        using var again = await http.AddAsync(gpg.ExportArmored(fingerprint));
        Assert.Contains("blocked by the operator", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetKeyAsync(fingerprint)).StatusCode);

        var audit = await AuditAsync();
        Assert.Equal(["block", "purge", "block-hit", "block-hit"], audit.Select(e => e.GetProperty("action").GetString()));
        Assert.All(audit.Take(2), e => Assert.Equal("cli", e.GetProperty("actor").GetString()));
        Assert.All(audit.Skip(2), e => Assert.Equal("upload", e.GetProperty("actor").GetString()));
        Assert.All(audit, e => Assert.Equal(fingerprint, e.GetProperty("fingerprint").GetString()));
    }

    [Fact]
    public async Task Commands_ServerStopped_OpenTheStoreThemselves_ServerObeysAfterwards()
    {
        using var gpg = GpgHome.Create();
        var fingerprint = gpg.GenerateKey("Mallory <mallory@example.org>");

        var block = await RunAsync("block", fingerprint);
        var domain = await RunAsync("block", "Spam.EXAMPLE", "--kind", "domain");

        Assert.True(block.ExitCode == 0, block.ToString());
        Assert.True(domain.ExitCode == 0, domain.ToString());
        Assert.False(File.Exists(Socket));
        var list = await RunAsync("block", "--list");
        Assert.Equal(["fingerprint\t" + fingerprint, "domain\tspam.example"], list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join('\t', l.Split('\t').Take(2))));

        await using (var server = await KeyserverProcess.StartAsync(_dataDirectory))
        {
            using var http = server.CreateClient();
            using var refused = await http.AddAsync(gpg.ExportArmored(fingerprint));
            Assert.Contains("blocked by the operator", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(File.Exists(Socket));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Socket));
        }

        var unblock = await RunAsync("unblock", fingerprint);
        Assert.True(unblock.ExitCode == 0, unblock.ToString());
        Assert.Equal(["block", "block", "block-hit", "unblock"], (await AuditAsync()).Select(e => e.GetProperty("action").GetString()));
        Assert.Single((await AuditAsync("--action", "block-hit", "--actor", "upload")));
    }

    [Fact]
    public async Task ImportAndDump_WhileServerRuns_GoThroughTheServer_ImportCounted()
    {
        using var gpg = GpgHome.Create();
        var first = gpg.GenerateKey("One <one@example.org>");
        var second = gpg.GenerateKey("Two <two@example.org>");
        var keyring = Path.Combine(_scratch, "keys.gpg");
        gpg.Run("--output", keyring, "--export", first, second).EnsureSuccess();
        await using var server = await KeyserverProcess.StartAsync(_dataDirectory);

        var import = await RunAsync("import", keyring, "--publish");

        Assert.True(import.ExitCode == 0, import.ToString() + server);
        Assert.Contains("Total: 2 added, 0 updated, 0 unchanged, 0 rejected", import.StandardOutput, StringComparison.Ordinal);
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetKeyAsync(second)).StatusCode);
        var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains("keyserver_import_keys_total{otel_scope_name=\"Keyserver\",outcome=\"added\"} 2", metrics, StringComparison.Ordinal);
        var entry = Assert.Single(await AuditAsync("--action", "import"));
        Assert.Equal("import", entry.GetProperty("actor").GetString());
        Assert.Contains("2 added", entry.GetProperty("outcome").GetString(), StringComparison.Ordinal);

        // A relative directory is the caller's, not the server's working directory.
        var dump = await KeyserverProcess.RunCommandAsync(_dataDirectory, ["dump", Path.GetRelativePath(RepositoryRoot.Path, Path.Combine(_scratch, "dump"))]);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Single(Directory.GetFiles(Path.Combine(_scratch, "dump"), "keydump-*.pgp"));
    }

    [Fact]
    public async Task Commands_HostileTargets_OneLineAndNonZero_WithOrWithoutServer()
    {
        foreach (var running in new[] { false, true })
        {
            await using var server = running ? await KeyserverProcess.StartAsync(_dataDirectory) : null;
            foreach (var args in new[] { new[] { "block", "a\u001b[31m@@example.org" }, ["block", "-bad-.example", "--kind", "domain"], ["delete", "0x1234"], ["unblock", new string('x', 5000)] })
            {
                var result = await RunAsync(args);

                Assert.NotEqual(0, result.ExitCode);
                Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.DoesNotContain("\u001b", result.StandardError, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
            }
        }

        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task ControlEndpoint_OverTcpOrWithGarbage_Refused()
    {
        await using var server = await KeyserverProcess.StartAsync(_dataDirectory);
        using var http = server.CreateClient();
        using var body = new StringContent("{\"args\":[\"block\",\"example.org\"],\"workingDirectory\":\"/\"}", Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri("control/run", UriKind.Relative), body)).StatusCode);

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
        await using var stream = new NetworkStream(socket);
        var garbage = "{\"args\": 5"u8.ToArray();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /control/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {garbage.Length}\r\nConnection: close\r\n\r\n"));
        await stream.WriteAsync(garbage);
        using var reader = new StreamReader(stream);
        Assert.StartsWith("HTTP/1.1 400", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync());
    }

    public void Dispose()
    {
        KeyserverProcess.TryDeleteDirectory(_dataDirectory);
        KeyserverProcess.TryDeleteDirectory(_scratch);
    }

    private Task<ProcessResult> RunAsync(params string[] args) => KeyserverProcess.RunCommandAsync(_dataDirectory, args);

    private async Task<List<JsonElement>> AuditAsync(params string[] filters)
    {
        var export = await RunAsync(["audit", "export", .. filters]);
        Assert.True(export.ExitCode == 0, export.ToString());
        return [.. export.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
