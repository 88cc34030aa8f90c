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
        ArgumentNullException.ThrowIfNull(connectionString);
        return services
            .AddStores(
                sp => new PostgreSqlDatabase(connectionString(sp)),
                keyStore: database => new PostgreSqlKeyStore(database),
                verificationStore: database => new PostgreSqlVerificationStore(database),
                mailOutbox: database => new PostgreSqlMailOutbox(database),
                blockList: database => new PostgreSqlBlockList(database),
                auditLog: database => new PostgreSqlAuditLog(database),
                mailQueueAdmin: database => new PostgreSqlMailQueueAdmin(database),
                adminSessions: database => new PostgreSqlAdminSessionStore(database),
                keyAdminSearch: (database, _) => new PostgreSqlKeyAdminSearch(database))
            .AddSingleton<IExclusiveWork>(sp => sp.GetRequiredService<PostgreSqlDatabase>());
    }
}
