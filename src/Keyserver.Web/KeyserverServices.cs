using Keyserver.Core.Ingest;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb;
using Keyserver.Storage.LiteDb.Verification;
using Keyserver.Web.Control;
using Keyserver.Web.Mail;
using Keyserver.Web.Options;
using Keyserver.Web.Verification;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Keyserver.Web;

/// <summary>Service registrations shared by the web host and the maintenance commands.</summary>
internal static class KeyserverServices
{
    /// <summary>
    /// Every options class, one per configuration section, in one style: bound from its section,
    /// validated by its own annotations, and checked when the host starts so that a bad value stops
    /// the start with a message naming the key.
    /// </summary>
    public static IServiceCollection AddKeyserverOptions(this IServiceCollection services) => services
        .AddValidatedOptions<StorageOptions>(StorageOptions.Section)
        .AddValidatedOptions<VerificationOptions>(VerificationOptions.Section)
        .AddValidatedOptions<LimitsOptions>(LimitsOptions.Section)
        .AddValidatedOptions<SearchOptions>(SearchOptions.Section)
        .AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section)
        .AddValidatedOptions<PublicUrlOptions>(PublicUrlOptions.Section)
        .AddValidatedOptions<MailOptions>(MailOptions.Section)
        .AddValidatedOptions<SmtpOptions>(SmtpOptions.Section)
        .AddValidatedOptions<MetricsOptions>(MetricsOptions.Section)
        .AddValidatedOptions<ProxyOptions>(ProxyOptions.Section)
        .AddValidatedOptions<AuditOptions>(AuditOptions.Section)
        .AddPolicyOptions();

    /// <summary>
    /// The embedded LiteDB store under Storage:DataDirectory (keys, verification tokens, the mail
    /// outbox) and the use case over it: <see cref="KeySubmission"/> with its ingest pipeline and
    /// <see cref="VerificationService"/>.
    /// </summary>
    public static IServiceCollection AddKeyserverStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLiteDbStores(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var path = storage.ResolveDatabasePath(provider.GetRequiredService<IHostEnvironment>().ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return path;
        });
        services.AddStoreSelection();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IMailOutbox>(provider => new NotifyingMailOutbox(
            provider.StoreOutbox(), provider.GetRequiredService<OutboxSignal>(), provider.GetService<Observability.KeyserverMetrics>(), provider.UsesPostgreSql()));
        services.AddSingleton(provider => new KeyIngestor(
            provider.GetRequiredService<IKeyStore>(),
            new KeyPolicy(
                provider.GetRequiredService<IOptions<VerificationOptions>>().Value.ToPublicationMode(),
                provider.GetRequiredService<IOptions<LimitsOptions>>().Value.ToKeyLimits()),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new VerificationService(
            provider.GetRequiredService<IKeyStore>(),
            provider.GetRequiredService<IVerificationStore>(),
            provider.GetRequiredService<IMailOutbox>(),
            provider.GetRequiredService<IOptions<VerificationOptions>>().Value.ToSettings(),
            provider.GetRequiredService<TimeProvider>())
        { Operator = provider.GetRequiredService<Core.Admin.OperatorPolicy>() });
        services.AddSingleton<KeySubmission>();
        services.AddOperatorPolicy();
        return services;
    }

    private static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
