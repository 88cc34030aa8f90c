using Keyserver.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Storage.LiteDb;

/// <summary>Registers the LiteDB store with a service container.</summary>
public static class LiteDbServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="LiteDbContext"/> on <paramref name="databasePath"/> and
    /// <see cref="LiteDbKeyStore"/> as <see cref="IKeyStore"/>, all singletons the container disposes.
    /// The file is opened when the first of them is resolved.
    /// </summary>
    public static IServiceCollection AddLiteDbKeyStore(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        services.AddSingleton(_ => new LiteDbContext(databasePath));
        services.AddSingleton(sp => new LiteDbKeyStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<LiteDbKeyStore>());
        return services;
    }
}
