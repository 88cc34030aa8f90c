using Keyserver.Core.Admin;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.PostgreSql.Admin;
using Keyserver.Storage.PostgreSql.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Storage.PostgreSql;

/// <summary>Registers the PostgreSQL stores with a service container.</summary>
public static class PostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="PostgreSqlDatabase"/> on the connection string
    /// <paramref name="connectionString"/> gives (also as <see cref="IExclusiveWork"/>),
    /// <see cref="PostgreSqlKeyStore"/> as <see cref="IKeyStore"/>,
    /// <see cref="PostgreSqlVerificationStore"/> as <see cref="IVerificationStore"/> and
    /// <see cref="PostgreSqlMailOutbox"/>, and the admin console's stores (<see cref="IBlockList"/>,
    /// <see cref="IAuditLog"/>, <see cref="IMailQueueAdmin"/>, <see cref="IAdminSessionStore"/>,
    /// <see cref="IKeyAdminSearch"/>), all singletons. The schema is created or migrated when the
    /// first store is resolved.
    /// </summary>
    public static IServiceCollection AddPostgreSqlStores(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connectionString);
        services.AddSingleton(sp => new PostgreSqlDatabase(connectionString(sp)));
        services.AddSingleton<IExclusiveWork>(sp => sp.GetRequiredService<PostgreSqlDatabase>());
        services.AddSingleton(sp => new PostgreSqlKeyStore(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<PostgreSqlKeyStore>());
        services.AddSingleton(sp => new PostgreSqlVerificationStore(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IVerificationStore>(sp => sp.GetRequiredService<PostgreSqlVerificationStore>());
        services.AddSingleton(sp => new PostgreSqlMailOutbox(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IBlockList>(sp => new PostgreSqlBlockList(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IAuditLog>(sp => new PostgreSqlAuditLog(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IMailQueueAdmin>(sp => new PostgreSqlMailQueueAdmin(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IAdminSessionStore>(sp => new PostgreSqlAdminSessionStore(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IKeyAdminSearch>(sp => new PostgreSqlKeyAdminSearch(sp.GetRequiredService<PostgreSqlDatabase>()));
        return services;
    }
}
