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
        ArgumentNullException.ThrowIfNull(databasePath);
        return services.AddStores(
            sp => new LiteDbContext(databasePath(sp)),
            keyStore: context => new LiteDbKeyStore(context),
            verificationStore: context => new LiteDbVerificationStore(context),
            mailOutbox: context => new LiteDbMailOutbox(context),
            blockList: context => new LiteDbBlockList(context),
            auditLog: context => new LiteDbAuditLog(context),
            mailQueueAdmin: context => new LiteDbMailQueueAdmin(context),
            adminSessions: context => new LiteDbAdminSessionStore(context),
            keyAdminSearch: (_, keys) => new ScanningKeyAdminSearch(keys));
    }
}
