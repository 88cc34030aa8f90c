using Keyserver.Web.Tests.Infrastructure;
using Keyserver.Web.Verification;
using Keyserver.Web.Vks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Web.Tests.Vks;

/// <summary>
/// A minimal web host with the same registrations the keyserver makes (options, storage,
/// AddVerification, UseRateLimiter, MapVks) on a fresh data directory, served in memory. Used until
/// Program.cs maps the VKS endpoints; it does not depend on the rest of the host.
/// </summary>
internal sealed class VksHost : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public string DataDirectory => _data.Path;

    public string PickupDirectory => Path.Combine(_data.Path, "outbox");

    public static async Task<VksHost> StartAsync(params (string Key, string? Value)[] settings)
    {
        var host = new VksHost();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = RepositoryRoot.Path });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Storage:DataDirectory", host._data.Path))
                .Append(new("Keyserver:PublicUrl", "https://keys.example.org")));
        builder.Services.AddKeyserverOptions().AddKeyserverStorage().AddVerification(builder.Configuration);
        var app = builder.Build();
        app.UseRateLimiter();
        app.MapVks();
        await app.StartAsync();
        host._app = app;
        host.Client = app.GetTestClient();
        return host;
    }

    public T Service<T>()
        where T : notnull => _app!.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _data.Dispose();
    }
}
