using System.Net.Sockets;

namespace SifSign.Cli.Tests.EndToEnd;

/// <summary>
/// keyserver login against a loopback HTTP server that demands Basic authentication (RFC 7617), with
/// the real sifsign process: the stored credentials reach that server and no other.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class KeyserverLoginTests : IDisposable
{
    private const string Index = "info:1:1\npub:0123456789ABCDEF0123456789ABCDEF01234567:22:256:1700000000::\nuid:Guarded Key <guarded@example.org>:::\n";

    private readonly HttpListener guarded;
    private readonly HttpListener open;
    private readonly List<string?> guardedAuthorizations = [];
    private readonly List<string?> openAuthorizations = [];

    public KeyserverLoginTests()
    {
        (guarded, GuardedUrl) = Listen(request =>
        {
            lock (guardedAuthorizations)
            {
                guardedAuthorizations.Add(request.Headers["Authorization"]);
            }

            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:open sesame"));
            return request.Headers["Authorization"] == expected ? (200, Index) : (401, "authentication required");
        });
        (open, OpenUrl) = Listen(request =>
        {
            lock (openAuthorizations)
            {
                openAuthorizations.Add(request.Headers["Authorization"]);
            }

            return (200, Index);
        });
    }

    private string GuardedUrl { get; }

    private string OpenUrl { get; }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Login_PasswordStdin_CredentialsSentToThatServerOnly_LogoutStopsThem()
    {
        using var cli = new CliProcess();

        var before = cli.Run("key", "search", "--url", GuardedUrl, "guarded");
        Assert.Equal(ExitCodes.KeyCommandFailed, before.ExitCode);

        var login = cli.RunWithInput("open sesame\n", "keyserver", "login", "--username", "alice", "--password-stdin", GuardedUrl);
        Assert.True(login.ExitCode == 0, login.StandardError);
        var config = Path.Combine(cli.Home, ".config", "sifsign", "config.toml");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));

        var search = cli.Run("key", "search", "--url", GuardedUrl, "guarded");
        Assert.True(search.ExitCode == 0, search.StandardError);
        Assert.Contains("Guarded Key <guarded@example.org>", search.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, cli.Run("key", "search", "--url", OpenUrl, "guarded").ExitCode);
        Assert.All(openAuthorizations, Assert.Null);

        Assert.Equal(0, cli.Run("keyserver", "logout", GuardedUrl).ExitCode);
        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "search", "--url", GuardedUrl, "guarded").ExitCode);
        Assert.Equal([null, "Basic YWxpY2U6b3BlbiBzZXNhbWU=", null], guardedAuthorizations);
    }

    public void Dispose()
    {
        guarded.Close();
        open.Close();
    }

    private static (HttpListener Listener, string Url) Listen(Func<HttpListenerRequest, (int Status, string Body)> answer)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = $"http://127.0.0.1:{port}/";
        var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var (status, body) = answer(context.Request);
                context.Response.StatusCode = status;
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "text/plain";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        return (listener, url);
    }
}
