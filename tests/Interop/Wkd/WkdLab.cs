using Interop.Tests.Pki;

namespace Interop.Tests.Wkd;

/// <summary>
/// The real server serving HTTPS on port 443 inside its own network and mount namespace
/// (<c>unshare --net --mount</c>), as real WKD clients need it: URLs carry no port, and gpg trusts
/// only the system CA bundle. Inside, <c>/etc/hosts</c> points the lab's names at loopback,
/// <c>/etc/resolv.conf</c> at a resolver that does not answer, and the system bundle holds a
/// throw-away CA; nothing outside the namespace changes. Clients run inside through <c>nsenter</c>;
/// the test itself talks to the server through a Unix socket, which needs no network.
/// </summary>
internal sealed class WkdLab : IAsyncDisposable
{
    /// <summary>Safety net for a server that never becomes healthy; not a performance threshold.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _nsenter;

    private WkdLab(string directory, Process process, string nsenter)
    {
        Directory = directory;
        _process = process;
        _nsenter = nsenter;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Everything the server printed so far (its request log among it).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The server's process id (inside the namespaces), for nsenter.</summary>
    public int ServerPid { get; private set; }

    /// <summary>
    /// Starts the lab: <paramref name="names"/> resolve to 127.0.0.1 and are in the server
    /// certificate; <paramref name="settings"/> are the server's environment on top of the lab's.
    /// </summary>
    public static async Task<WkdLab> StartAsync(IReadOnlyList<string> names, IDictionary<string, string> settings)
    {
        var unshare = Tools.Require("unshare", "util-linux");
        var nsenter = Tools.Require("nsenter", "util-linux");
        Tools.Require("ip", "iproute2");
        Tools.Require("openssl", "openssl");
        var directory = Path.Combine("/tmp", "wkd" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);

        var openssl = new OpenSsl(directory);
        openssl.NewRoot("ca");
        openssl.Issue("server", "ca", 1, rsa: true, "subjectAltName=" + string.Join(',', names.Select(n => "DNS:" + n)), "extendedKeyUsage=serverAuth");
        await File.WriteAllTextAsync(Path.Combine(directory, "hosts"), $"127.0.0.1 localhost {string.Join(' ', names)}\n");
        // Nothing listens on 127.0.0.1:53: unknown names fail at once, and gpg's SRV query before the
        // direct form gets the "server failed" it accepts (built-in resolver, not standard-resolver).
        await File.WriteAllTextAsync(Path.Combine(directory, "resolv.conf"), "nameserver 127.0.0.1\n");
        var systemBundle = "/etc/ssl/certs/ca-certificates.crt";
        await File.WriteAllTextAsync(
            Path.Combine(directory, "bundle.pem"),
            (File.Exists(systemBundle) ? await File.ReadAllTextAsync(systemBundle) : "") + await File.ReadAllTextAsync(openssl.PathOf("ca.pem")));
        var script = Path.Combine(directory, "lab.sh");
        await File.WriteAllTextAsync(script, """
            set -e
            ip link set lo up
            mount --bind "$LAB/hosts" /etc/hosts
            mount --bind "$LAB/resolv.conf" /etc/resolv.conf
            mount --bind "$LAB/bundle.pem" /etc/ssl/certs/ca-certificates.crt
            echo $$ > "$LAB/server.pid"
            exec "$DOTNET" "$DLL" --urls "https://127.0.0.1:443;http://unix:$LAB/ks.sock" --contentRoot "$ROOT"
            """);

        var start = new ProcessStartInfo(unshare)
        {
            ArgumentList = { "--mount", "--net", "--fork", "--kill-child", "bash", script },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        var environment = new Dictionary<string, string>
        {
            ["LAB"] = directory,
            ["DOTNET"] = ServerProcess.DotnetHost,
            ["DLL"] = ServerProcess.DllPath,
            ["ROOT"] = RepositoryRoot.Path,
            ["Storage__DataDirectory"] = Path.Combine(directory, "data"),
            ["Kestrel__Certificates__Default__Path"] = openssl.PathOf("server.pem"),
            ["Kestrel__Certificates__Default__KeyPath"] = openssl.PathOf("server.key"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var lab = new WkdLab(directory, Process.Start(start)!, nsenter);
        try
        {
            await lab.WaitHealthyAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the server through its Unix socket (the portal, uploads, mail links).</summary>
    public SocketsHttpHandler Handler() => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(Directory, "ks.sock")), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static Uri BaseUri { get; } = new("http://keys.example.test/");

    public HttpClient CreateClient() => new(Handler()) { BaseAddress = BaseUri };

    /// <summary>Runs a program inside the lab's namespaces (the clients under test).</summary>
    public Task<ProcessResult> RunInsideAsync(params string[] command) =>
        ProcessRunner.RunAsync(_nsenter, ["-t", ServerPid.ToString(CultureInfo.InvariantCulture), "-n", "-m", .. command]);

    /// <summary>Waits for a line the server logs after answering; the guard is against a hang only.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var waited = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"'{text}' never logged:\n{this}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // SIGKILL to unshare: --kill-child takes the server with it.
        await KeyserverProcess.EndAsync(_process, Directory);
    }

    public override string ToString() => $"WKD lab in {Directory}, server pid {ServerPid}\n--- server output ---\n{Output}";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient(Handler()) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(10) };
        var waited = Stopwatch.StartNew();
        var pidFile = Path.Combine(Directory, "server.pid");
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The lab ended with code {_process.ExitCode} before the server was healthy.\n{this}");
            }

            if (waited.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The server was not healthy within {StartTimeout}.\n{this}");
            }

            try
            {
                if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture, out var pid))
                {
                    ServerPid = pid;
                    using var health = await client.GetAsync(new Uri("healthz", UriKind.Relative));
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }
}
