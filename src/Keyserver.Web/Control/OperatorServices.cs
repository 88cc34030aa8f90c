using Keyserver.Core.Admin;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Web.Options;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Control;

/// <summary>The operator's rules and actions: upload policy, block list, audit log, admin actions.</summary>
internal static class OperatorServices
{
    public static IServiceCollection AddOperatorPolicy(this IServiceCollection services)
    {
        services.AddSingleton(provider => new OperatorPolicy(
            provider.GetRequiredService<IKeyStore>(),
            provider.GetRequiredService<IBlockList>(),
            provider.GetRequiredService<IAuditLog>(),
            provider.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new AdminActions(
            provider.GetRequiredService<IKeyStore>(),
            provider.GetRequiredService<OperatorPolicy>(),
            provider.GetRequiredService<VerificationService>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AuditRetention>();
        return services;
    }

    /// <summary>Binds <see cref="PolicyOptions"/>, also from one comma-separated <c>Policy:Domains</c> value.</summary>
    public static IServiceCollection AddPolicyOptions(this IServiceCollection services)
    {
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[$"{PolicyOptions.Section}:{nameof(PolicyOptions.Domains)}"] is { Length: > 0 } single)
                {
                    options.Domains.Add(single);
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}

/// <summary>Purges audit entries older than <c>Audit:RetentionDays</c> (run by the purge worker).</summary>
internal sealed class AuditRetention(IAuditLog audit, IOptions<AuditOptions> options, TimeProvider time)
{
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.RetentionDays;
        return days == 0 ? 0 : await audit.PurgeAsync(time.GetUtcNow().AddDays(-days), cancellationToken);
    }
}
