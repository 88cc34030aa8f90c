namespace Interop.Tests.Deploy;

/// <summary>
/// Debian's nginx running the shipped site file <c>deploy/nginx/keyserver.conf</c> on a free port,
/// with a certificate for <c>localhost</c> from a throw-away CA made by openssl.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    /// <summary>The only values changed in the shipped file: port, certificate paths and upstream.</summary>
    public static readonly string[] ReplacedValues =
    [
        "listen 443 ",
        "/etc/ssl/keys.example.org/fullchain.pem",
        "/etc/ssl/keys.example.org/privkey.pem",
        "http://127.0.0.1:11371",
    ];

    /// <summary>
    /// The address gpg uses for the proxy. dirmngr wants a host name with a dot (or an IP literal with
    /// no reverse name, 127.0.0.1 maps back to "localhost"), so the certificate names this address too.
    /// </summary>
    public const string GpgAddress = "127.0.0.5";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NginxProxy(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>PEM of the CA that signed the proxy's certificate.</summary>
    public string CaCertificate => Path.Combine(Directory, "ca.pem");

    public static string ShippedSitePath => Path.Combine(RepositoryRoot.Path, "deploy", "nginx", "keyserver.conf");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString() + ReadErrorLog();
            }
        }
    }

    public static async Task<NginxProxy> StartAsync(Uri upstream)
    {
        var nginx = Tools.Require("nginx", "nginx");
        var openssl = Tools.Require("openssl", "openssl");
        var directory = KeyserverProcess.CreateTempDirectory("nginx-");
        async Task Ssl(params string[] arguments) =>
            (await ProcessRunner.RunAsync(openssl, arguments, workingDirectory: directory)).EnsureSuccess();

        await Ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Keyserver test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await Ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        await File.WriteAllTextAsync(Path.Combine(directory, "server.ext"),
            $"subjectAltName=DNS:localhost,IP:127.0.0.1,IP:{GpgAddress}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        await Ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext");

        var port = Ports.Free();
        var site = await File.ReadAllTextAsync(ShippedSitePath);
        foreach (var value in ReplacedValues)
        {
            Assert.Contains(value, site, StringComparison.Ordinal);
        }

        site = site
            .Replace(ReplacedValues[0], $"listen {port} ", StringComparison.Ordinal)
            .Replace(ReplacedValues[1], Path.Combine(directory, "server.pem"), StringComparison.Ordinal)
            .Replace(ReplacedValues[2], Path.Combine(directory, "server.key"), StringComparison.Ordinal)
            .Replace(ReplacedValues[3], upstream.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(directory, "site.conf"), site);

        // The main context a distribution's nginx.conf would give, private to this directory.
        var temp = string.Concat(new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }
            .Select(t => $"    {t}_temp_path {Path.Combine(directory, t)};\n"));
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            pid {{Path.Combine(directory, "nginx.pid")}};
            error_log {{Path.Combine(directory, "error.log")}} info;
            events { worker_connections 256; }
            http {
                access_log off;
            {{temp}}
                include {{Path.Combine(directory, "site.conf")}};
            }
            """);

        var process = Process.Start(new ProcessStartInfo(nginx)
        {
            ArgumentList = { "-p", directory, "-c", Path.Combine(directory, "nginx.conf") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var proxy = new NginxProxy(process, directory, port);
        process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await proxy.WaitListeningAsync();
        return proxy;
    }

    /// <summary>An HTTPS client to the proxy from <paramref name="source"/> (a loopback address), trusting only the test CA.</summary>
    public HttpClient CreateClient(IPAddress source) => new(TlsClients.Handler(source, CaCertificate))
    {
        BaseAddress = new Uri($"https://localhost:{Port}/"),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public async ValueTask DisposeAsync()
    {
        await KeyserverProcess.EndAsync(_process, Directory);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string ReadErrorLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(Directory, "error.log"));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private async Task WaitListeningAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(100);
            }
        }
    }
}
