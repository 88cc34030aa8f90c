namespace Keyserver.Web.Tests.Vks;

/// <summary>
/// The real keyserver host (Program, through <see cref="KeyserverFactory"/>) on a fresh data
/// directory, with a public URL the VKS answers and mails can be checked against.
/// </summary>
internal sealed class VksHost : IAsyncDisposable
{
    private const string PublicUrlKey = "Keyserver:PublicUrl";

    private readonly KeyserverFactory _factory;

    private VksHost(KeyserverFactory factory)
    {
        _factory = factory;
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    public string DataDirectory => _factory.DataDirectory;

    public string PickupDirectory => Path.Combine(DataDirectory, "outbox");

    public static Task<VksHost> StartAsync(params (string Key, string? Value)[] settings)
    {
        var all = settings.Any(s => s.Key == PublicUrlKey) ? settings : [.. settings, (PublicUrlKey, "https://keys.example.org")];
        return Task.FromResult(new VksHost(KeyserverFactory.With(all)));
    }

    public T Service<T>()
        where T : notnull => _factory.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
