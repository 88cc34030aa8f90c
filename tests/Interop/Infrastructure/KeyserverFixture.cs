namespace Interop.Tests.Infrastructure;

/// <summary>
/// One keyserver process shared by the tests of the <see cref="KeyserverCollection"/>; each test uploads
/// its own freshly made keys, so none depends on another's data.
/// </summary>
public sealed class KeyserverFixture : IAsyncLifetime
{
    private KeyserverProcess? _server;

    /// <summary>
    /// Every upload comes from 127.0.0.1, so the per-address upload rate limit is lifted for the shared
    /// server; the limit itself is Keyserver.Web's to test.
    /// </summary>
    public static IDictionary<string, string> ServerEnvironment { get; } = new Dictionary<string, string>
    {
        ["RateLimit__PermitsPerMinute"] = "1000000",
    };

    public KeyserverProcess Server => _server ?? throw new InvalidOperationException("The keyserver is not started.");

    public async Task InitializeAsync() => _server = await KeyserverProcess.StartAsync(env: ServerEnvironment);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KeyserverCollection : ICollectionFixture<KeyserverFixture>
{
    public const string Name = "Shared keyserver";
}
