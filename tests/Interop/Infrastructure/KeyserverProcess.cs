namespace Interop.Tests.Infrastructure;

/// <summary>
/// The real keyserver (Keyserver.Web.dll from the test output directory) as a separate process on a free
/// loopback port, with its own data directory, waited for until GET /healthz answers. The process itself is
/// TestKit's <see cref="ServerProcess"/>, the same one the Keyserver.Web tests start.
/// </summary>
public sealed class KeyserverProcess : IAsyncDisposable
{
    /// <summary>Safety net for a server that never becomes healthy; not a performance threshold.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly ServerProcess _process;
    private readonly bool _ownsDataDirectory;
    private bool _disposed;

    private KeyserverProcess(ServerProcess process, int port, string dataDirectory, bool ownsDataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Path of Keyserver.Web.dll as copied next to the test assembly.</summary>
    public static string DllPath => ServerProcess.DllPath;

    public Uri BaseUri { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>The exit code once the process has ended, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the server printed so far (stdout, then stderr), for failure messages.</summary>
    public string Output => _process.Output + _process.Error;

    /// <summary>
    /// Starts the server on a free port and waits until GET /healthz answers 200. Without
    /// <paramref name="dataDirectory"/> a fresh temporary one is made and deleted on dispose; a given one
    /// (restart tests) is left alone.
    /// </summary>
    public static async Task<KeyserverProcess> StartAsync(
        string? dataDirectory = null, IDictionary<string, string>? env = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= CreateTempDirectory("ks-data-");
        try
        {
            // A port picked here can be taken by someone else before the server binds it: retry then.
            for (var attempt = 1; ; attempt++)
            {
                var server = Launch(FreePort(), dataDirectory, owns, env);
                try
                {
                    await server.WaitHealthyAsync().ConfigureAwait(false);
                    return server;
                }
                catch (ServerExitedException) when (attempt < 3 && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    await server.DisposeProcessAsync().ConfigureAwait(false);
                }
                catch
                {
                    await server.DisposeProcessAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }
        catch when (owns)
        {
            TryDeleteDirectory(dataDirectory);
            throw;
        }
    }

    /// <summary>
    /// Runs a subcommand of the server dll (<c>import FILE... [--publish]</c>, <c>dump DIR</c>) against
    /// <paramref name="dataDirectory"/> and waits for it to finish. The subcommands take the working
    /// directory as content root, so they run from the repository root.
    /// </summary>
    public static Task<ProcessResult> RunCommandAsync(
        string dataDirectory, IEnumerable<string> arguments, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var environment = ServerEnvironment(dataDirectory, env);
        return ProcessRunner.RunAsync(
            ServerProcess.DotnetHost,
            new[] { DllPath }.Concat(arguments),
            environment,
            timeout: timeout,
            workingDirectory: RepositoryRoot.Path);
    }

    /// <summary>An HttpClient whose base address is this server.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseUri };

    /// <summary>SIGKILL: the process gets no chance to flush or shut down (durability tests).</summary>
    public void Kill() => _process.Kill();

    /// <summary>
    /// Graceful stop: SIGTERM, as systemd or `docker stop` would send, then wait for exit.
    /// Returns false when the server ignored it for 30 s and had to be killed.
    /// </summary>
    public async Task<bool> StopAsync()
    {
        try
        {
            await _process.StopAsync().ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // ServerProcess killed the hung process already; disposal must not fail on it.
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeProcessAsync().ConfigureAwait(false);
        if (_ownsDataDirectory)
        {
            TryDeleteDirectory(DataDirectory);
        }
    }

    public override string ToString() => $"keyserver pid {_process.Id} at {BaseUri} (data {DataDirectory})\n--- output ---\n{Output}";

    /// <summary>A new private (0700) directory under the temp path.</summary>
    internal static string CreateTempDirectory(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Kills a helper process (nginx, a lab) with its children, waits for it, and deletes its directory.</summary>
    internal static async Task EndAsync(Process process, string directory)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
        TryDeleteDirectory(directory);
    }

    internal static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // Best effort: a leftover temp dir must not turn a passing test red.
        }
    }

    private static Dictionary<string, string> ServerEnvironment(string dataDirectory, IDictionary<string, string>? env)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = dataDirectory,
            // Most interop tests exercise HKP with immediate publication; the e-mail tests ask for Email.
            ["Verification__Mode"] = "None",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return environment;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static KeyserverProcess Launch(int port, string dataDirectory, bool owns, IDictionary<string, string>? env)
    {
        var process = ServerProcess.Start(
            ["--urls", $"http://127.0.0.1:{port}", "--contentRoot", RepositoryRoot.Path],
            // "{port}" in a value is the port picked here, for settings such as Keyserver__PublicUrl.
            [.. ServerEnvironment(dataDirectory, env).Select(pair => (pair.Key, pair.Value.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)))]);
        return new KeyserverProcess(process, port, dataDirectory, owns);
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new ServerExitedException($"The keyserver exited with code {_process.ExitCode} before it was healthy.\n{this}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but busy starting up.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The keyserver did not answer GET /healthz with 200 within {StartTimeout}.\n{this}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private async Task DisposeProcessAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private sealed class ServerExitedException(string message) : Exception(message);
}
