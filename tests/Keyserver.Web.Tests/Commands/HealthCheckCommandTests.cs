namespace Keyserver.Web.Tests.Commands;

public class HealthCheckCommandTests
{
    private static Task<CommandRun> CheckAsync(HttpClient client, Uri endpoint) =>
        CommandRun.Of((_, error) => new HealthCheckCommand(client, error).RunAsync(endpoint, CancellationToken.None));

    private static async Task<CommandRun> CheckServerAsync(string path)
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();
        return await CheckAsync(client, new Uri(client.BaseAddress!, path));
    }

    [Fact]
    public async Task HealthyServer_ExitsZero()
    {
        var (code, _, error) = await CheckServerAsync("/healthz");

        Assert.Equal(ExitCode.Success, code);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task WrongEndpoint_ExitsNonZeroWithStatus()
    {
        var (code, _, error) = await CheckServerAsync("/no-such-endpoint");

        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains("404", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_ExitsNonZeroWithReason()
    {
        using var client = new HttpClient();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, error) = await CheckAsync(client, new Uri($"http://127.0.0.1:{port}/healthz"));

        Assert.Equal(ExitCode.Failure, code);
        Assert.NotEqual("", error);
    }
}
