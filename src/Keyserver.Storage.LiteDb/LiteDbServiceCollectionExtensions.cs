using Keyserver.Core.Admin;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Storage.LiteDb;

/// <summary>Registers the LiteDB stores with a service container.</summary>
public static class LiteDbServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="LiteDbContext"/> on the file <paramref name="databasePath"/> names,
    /// <see cref="LiteDbKeyStore"/> as <see cref="IKeyStore"/>, <see cref="LiteDbVerificationStore"/>
    /// as <see cref="IVerificationStore"/>, <see cref="LiteDbMailOutbox"/> with its <see cref="IMailQueueAdmin"/>,
    /// <see cref="LiteDbBlockList"/> as <see cref="IBlockList"/>, <see cref="LiteDbAuditLog"/> as <see cref="IAuditLog"/>,
    /// the admin sessions and the admin search, all singletons the
    /// container disposes. The file is opened when the first of them is resolved.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="databasePath">Gives the database file's path when the store is first resolved.</param>
    public static IServiceCollection AddLiteDbStores(this IServiceCollection services, Func<IServiceProvider, string> databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(databasePath);
        services.AddSingleton(sp => new LiteDbContext(databasePath(sp)));
        services.AddSingleton(sp => new LiteDbKeyStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<LiteDbKeyStore>());
        services.AddSingleton<IVerificationStore>(sp => new LiteDbVerificationStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton(sp => new LiteDbMailOutbox(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IBlockList>(sp => new LiteDbBlockList(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IAuditLog>(sp => new LiteDbAuditLog(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IMailQueueAdmin>(sp => new LiteDbMailQueueAdmin(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IAdminSessionStore>(sp => new LiteDbAdminSessionStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IKeyAdminSearch>(sp => new ScanningKeyAdminSearch(sp.GetRequiredService<IKeyStore>()));
        return services;
    }
}
