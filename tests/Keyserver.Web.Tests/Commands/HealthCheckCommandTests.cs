namespace Keyserver.Web.Tests.Commands;

public class HealthCheckCommandTests
{
    [Fact]
    public async Task HealthyServer_ExitsZero()
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();
        using var error = new StringWriter();

        var code = await new HealthCheckCommand(client, error).RunAsync(new Uri(client.BaseAddress!, "/healthz"), CancellationToken.None);

        Assert.Equal(ExitCode.Success, code);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task WrongEndpoint_ExitsNonZeroWithStatus()
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();
        using var error = new StringWriter();

        var code = await new HealthCheckCommand(client, error).RunAsync(new Uri(client.BaseAddress!, "/no-such-endpoint"), CancellationToken.None);

        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains("404", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_ExitsNonZeroWithReason()
    {
        using var client = new HttpClient();
        using var error = new StringWriter();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var code = await new HealthCheckCommand(client, error).RunAsync(new Uri($"http://127.0.0.1:{port}/healthz"), CancellationToken.None);

        Assert.Equal(ExitCode.Failure, code);
        Assert.NotEqual("", error.ToString());
    }
}
