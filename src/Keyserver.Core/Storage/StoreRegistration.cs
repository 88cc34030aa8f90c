using Keyserver.Core.Admin;
using Keyserver.Core.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Core.Storage;

/// <summary>Registers one storage provider's stores with a service container.</summary>
public static class StoreRegistration
{
    /// <summary>
    /// Registers the provider's database and, built on it, every store Core asks for, all singletons the
    /// container disposes. The key store, verification store and outbox are registered under their own
    /// types too, so that a host holding several providers can pick one; the key and verification
    /// stores also serve <see cref="IKeyStore"/> and <see cref="IVerificationStore"/>. The database is
    /// opened when the first of them is resolved.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="database">Opens the provider's database (a file, a connection pool).</param>
    /// <param name="keyStore">Builds the key store on the database.</param>
    /// <param name="verificationStore">Builds the verification token store on the database.</param>
    /// <param name="mailOutbox">Builds the mail outbox on the database.</param>
    /// <param name="blockList">Builds the admin console's block list on the database.</param>
    /// <param name="auditLog">Builds the audit log on the database.</param>
    /// <param name="mailQueueAdmin">Builds the admin view of the outbox on the database.</param>
    /// <param name="adminSessions">Builds the admin session store on the database.</param>
    /// <param name="keyAdminSearch">Builds the admin key search on the database or on the <see cref="IKeyStore"/> the container serves.</param>
    public static IServiceCollection AddStores<TDatabase, TKeyStore, TVerificationStore, TMailOutbox>(
        this IServiceCollection services,
        Func<IServiceProvider, TDatabase> database,
        Func<TDatabase, TKeyStore> keyStore,
        Func<TDatabase, TVerificationStore> verificationStore,
        Func<TDatabase, TMailOutbox> mailOutbox,
        Func<TDatabase, IBlockList> blockList,
        Func<TDatabase, IAuditLog> auditLog,
        Func<TDatabase, IMailQueueAdmin> mailQueueAdmin,
        Func<TDatabase, IAdminSessionStore> adminSessions,
        Func<TDatabase, IKeyStore, IKeyAdminSearch> keyAdminSearch)
        where TDatabase : class
        where TKeyStore : class, IKeyStore
        where TVerificationStore : class, IVerificationStore
        where TMailOutbox : class, IMailOutbox
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(database);
        services.AddSingleton(database);
        services.AddSingleton(On(keyStore));
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<TKeyStore>());
        services.AddSingleton(On(verificationStore));
        services.AddSingleton<IVerificationStore>(sp => sp.GetRequiredService<TVerificationStore>());
        services.AddSingleton(On(mailOutbox));
        services.AddSingleton(On(blockList));
        services.AddSingleton(On(auditLog));
        services.AddSingleton(On(mailQueueAdmin));
        services.AddSingleton(On(adminSessions));
        services.AddSingleton(sp => keyAdminSearch(sp.GetRequiredService<TDatabase>(), sp.GetRequiredService<IKeyStore>()));
        return services;

        Func<IServiceProvider, T> On<T>(Func<TDatabase, T> store)
        {
            ArgumentNullException.ThrowIfNull(store);
            return sp => store(sp.GetRequiredService<TDatabase>());
        }
    }
}
