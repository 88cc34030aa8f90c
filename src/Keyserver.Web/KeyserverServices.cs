using Keyserver.Core.Ingest;
using Keyserver.Core.Storage;
using Keyserver.Storage.LiteDb;
using Keyserver.Web.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Keyserver.Web;

/// <summary>Service registrations shared by the web host and the import/dump commands.</summary>
internal static class KeyserverServices
{
    /// <summary>One options class per concern, bound from its section and validated when the host starts.</summary>
    public static IServiceCollection AddKeyserverOptions(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>The embedded LiteDB store under Storage:DataDirectory and the ingest pipeline over it.</summary>
    public static IServiceCollection AddKeyserverStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var path = storage.ResolveDatabasePath(provider.GetRequiredService<IHostEnvironment>().ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new LiteDbContext(path);
        });
        services.AddSingleton<IKeyStore>(provider => new LiteDbKeyStore(provider.GetRequiredService<LiteDbContext>()));
        services.AddSingleton(provider => new KeyIngestor(
            provider.GetRequiredService<IKeyStore>(),
            new KeyPolicy(
                provider.GetRequiredService<IOptions<VerificationOptions>>().Value.ToPublicationMode(),
                provider.GetRequiredService<IOptions<LimitsOptions>>().Value.ToKeyLimits()),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
