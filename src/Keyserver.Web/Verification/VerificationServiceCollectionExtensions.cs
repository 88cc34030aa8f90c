using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb;
using Keyserver.Storage.LiteDb.Verification;
using Keyserver.Web.Mail;
using Keyserver.Web.Observability;
using Keyserver.Web.Options;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Verification;

/// <summary>Registers e-mail verification, the durable mail outbox and their background workers.</summary>
internal static class VerificationServiceCollectionExtensions
{
    /// <summary>
    /// Options (Keyserver:PublicUrl, Verification:*, Mail:*, all validated at start-up), the
    /// verification store and outbox in the server's LiteDB file, mail delivery (SMTP when
    /// Mail:Smtp:Host is set, else .eml files in Mail:PickupDirectory), <see cref="VerificationService"/>,
    /// the outbox and purge workers, and the VKS upload rate limit. Needs the key store
    /// (<see cref="LiteDbContext"/>, <see cref="IKeyStore"/>), <see cref="TimeProvider"/> and
    /// <see cref="VerificationOptions"/> registered by the host.
    /// </summary>
    public static IServiceCollection AddVerification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PublicUrlOptions>().Bind(configuration.GetSection(PublicUrlOptions.Section))
            .Validate(o => o.IsValid(), "Keyserver:PublicUrl must be an absolute http or https URL without query or fragment.")
            .ValidateOnStart();
        services.AddOptions<VerificationTimingOptions>().Bind(configuration.GetSection(VerificationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerificationTimingOptions>>(new ProblemValidator<VerificationTimingOptions>(o => o.Problem()));
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>>(new ProblemValidator<MailOptions>(o => o.Problem()));
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>>(new ProblemValidator<SmtpOptions>(o => o.Problem()));

        services.AddSingleton<IVerificationStore>(sp => new LiteDbVerificationStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IMailOutbox>(sp => new NotifyingMailOutbox(
            new LiteDbMailOutbox(sp.GetRequiredService<LiteDbContext>()), sp.GetRequiredService<OutboxSignal>(), sp.GetService<KeyserverMetrics>()));
        services.AddSingleton(sp => new VerificationService(
            sp.GetRequiredService<IKeyStore>(),
            sp.GetRequiredService<IVerificationStore>(),
            sp.GetRequiredService<IMailOutbox>(),
            sp.GetRequiredService<IOptions<VerificationTimingOptions>>().Value.ToSettings(sp.GetRequiredService<IOptions<VerificationOptions>>().Value),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MailComposer>();
        services.AddSingleton<IMailDelivery>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>().Value;
            var logger = sp.GetRequiredService<ILogger<SmtpMailDelivery>>();
            if (smtp.Enabled)
            {
                logger.LogInformation("Mail goes through SMTP {Smtp}", smtp.ToString());
                return new SmtpMailDelivery(sp.GetRequiredService<IOptions<SmtpOptions>>());
            }

            var directory = PickupDirectory(sp);
            logger.LogInformation("No Mail:Smtp:Host set: mail is written to {Directory}", directory);
            return new PickupDirectoryDelivery(directory, sp.GetRequiredService<ILogger<PickupDirectoryDelivery>>());
        });
        services.AddHostedService<OutboxWorker>();
        services.AddHostedService<PurgeWorker>();

        return services;
    }

    // Relative pickup paths live under the data directory, beside the database.
    private static string PickupDirectory(IServiceProvider services)
    {
        var mail = services.GetRequiredService<IOptions<MailOptions>>().Value;
        var dataDirectory = Path.GetDirectoryName(services.GetRequiredService<LiteDbContext>().DatabasePath)!;
        return Path.GetFullPath(mail.PickupDirectory, dataDirectory);
    }
}
