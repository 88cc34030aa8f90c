using Keyserver.Core.Admin;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb;
using Keyserver.Storage.LiteDb.Verification;
using Keyserver.Storage.PostgreSql;
using Keyserver.Storage.PostgreSql.Verification;
using Keyserver.Web.Options;
using Microsoft.Extensions.Options;

namespace Keyserver.Web;

/// <summary>
/// Storage:Provider decides which store serves the interfaces. Both are registered, and each opens
/// its database only when first resolved, so the store not chosen is never touched.
/// </summary>
internal static class StorageSelection
{
    // The admin console's stores: both providers register each under its interface, and the chosen
    // provider's registration serves it.
    private static readonly Type[] AdminStores =
        [typeof(IBlockList), typeof(IAuditLog), typeof(IMailQueueAdmin), typeof(IAdminSessionStore), typeof(IKeyAdminSearch)];

    /// <summary>
    /// Registers the PostgreSQL stores beside the LiteDB ones (already registered) and points
    /// <see cref="IKeyStore"/>, <see cref="IVerificationStore"/>, <see cref="IExclusiveWork"/> and the
    /// admin console's stores at the chosen provider.
    /// </summary>
    public static IServiceCollection AddStoreSelection(this IServiceCollection services)
    {
        var liteDbAdmin = AdminStores.Select(t => FactoryOf(services, t)).ToList();
        services.AddPostgreSqlStores(provider => provider.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!);
        foreach (var (type, liteDb) in AdminStores.Zip(liteDbAdmin))
        {
            var postgreSql = FactoryOf(services, type);
            services.AddSingleton(type, provider => provider.UsesPostgreSql() ? postgreSql(provider) : liteDb(provider));
        }

        services.AddSingleton<IKeyStore>(provider => provider.UsesPostgreSql()
            ? provider.GetRequiredService<PostgreSqlKeyStore>()
            : provider.GetRequiredService<LiteDbKeyStore>());
        services.AddSingleton<IVerificationStore>(provider => provider.UsesPostgreSql()
            ? provider.GetRequiredService<PostgreSqlVerificationStore>()
            : provider.GetRequiredService<LiteDbVerificationStore>());
        services.AddSingleton<IExclusiveWork>(provider => provider.UsesPostgreSql()
            ? provider.GetRequiredService<PostgreSqlDatabase>()
            : SingleProcessWork.Instance);
        return services;
    }

    private static Func<IServiceProvider, object> FactoryOf(IServiceCollection services, Type type) =>
        services.Last(d => d.ServiceType == type).ImplementationFactory
        ?? throw new InvalidOperationException($"{type.Name} must be registered by a factory before AddStoreSelection.");

    public static bool UsesPostgreSql(this IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.PostgreSql;

    /// <summary>The outbox of the chosen store.</summary>
    public static IMailOutbox StoreOutbox(this IServiceProvider provider) => provider.UsesPostgreSql()
        ? provider.GetRequiredService<PostgreSqlMailOutbox>()
        : provider.GetRequiredService<LiteDbMailOutbox>();

    /// <summary>The directory of the mail pickup folder and other local files, whichever the store.</summary>
    public static string DataDirectory(this IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<StorageOptions>>().Value
            .ResolveDataDirectory(provider.GetRequiredService<IHostEnvironment>().ContentRootPath);

    /// <summary>Null while the chosen store answers; else why not.</summary>
    public static Task<string?> ProbeStoreAsync(this IServiceProvider provider, CancellationToken cancellationToken) => provider.UsesPostgreSql()
        ? provider.GetRequiredService<PostgreSqlDatabase>().ProbeAsync(cancellationToken)
        : provider.GetRequiredService<LiteDbContext>().ProbeAsync(cancellationToken);

    /// <summary>The store's name and where it is, for the start-up line (never a password).</summary>
    public static (string Store, string Location) StoreDescription(this IServiceProvider provider) => provider.UsesPostgreSql()
        ? ("PostgreSQL", provider.GetRequiredService<PostgreSqlDatabase>().Target)
        : ("LiteDB", Path.GetDirectoryName(provider.GetRequiredService<LiteDbContext>().DatabasePath)!);

    /// <summary>One process owns an embedded store: periodic work always runs.</summary>
    private sealed class SingleProcessWork : IExclusiveWork, IAsyncDisposable
    {
        public static readonly SingleProcessWork Instance = new();

        public Task<IAsyncDisposable?> TryAcquireAsync(string work, CancellationToken cancellationToken = default) =>
            Task.FromResult<IAsyncDisposable?>(this);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
