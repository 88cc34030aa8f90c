namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>Service collections configured from in-memory settings, as the host would read them from appsettings.json.</summary>
internal static class ConfiguredServices
{
    /// <summary>Logging and an <see cref="IConfiguration"/> holding <paramref name="settings"/>.</summary>
    public static IServiceCollection With(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
    }

    /// <summary>The host's options (<c>AddKeyserverOptions</c>) bound to <paramref name="settings"/>.</summary>
    public static ServiceProvider Options(params (string Key, string? Value)[] settings) =>
        With(settings).AddKeyserverOptions().BuildServiceProvider();
}
