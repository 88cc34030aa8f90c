using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb;
using Keyserver.Storage.LiteDb.Verification;
using Keyserver.Web.Verification;
using Keyserver.Web.Options;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Mail;

/// <summary>Registers mail delivery and the background workers of the web host.</summary>
internal static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Mail delivery (SMTP when Mail:Smtp:Host is set, else .eml files in Mail:PickupDirectory) and
    /// the web host's background workers: the outbox sender, the hourly purge and the manage-link
    /// requests. Needs the options
    /// and stores of <see cref="KeyserverServices"/>.
    /// </summary>
    public static IServiceCollection AddMailDelivery(this IServiceCollection services)
    {
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
            return new PickupDirectoryDelivery(
                directory, sp.GetRequiredService<IOptions<MailOptions>>().Value.LogLinks, sp.GetRequiredService<ILogger<PickupDirectoryDelivery>>());
        });
        services.AddHostedService<OutboxWorker>();
        services.AddHostedService<PurgeWorker>();
        services.AddSingleton<ManageLinkRequests>();
        services.AddHostedService(sp => sp.GetRequiredService<ManageLinkRequests>());

        return services;
    }

    // Relative pickup paths live under the data directory, beside the database.
    private static string PickupDirectory(IServiceProvider services)
    {
        var mail = services.GetRequiredService<IOptions<MailOptions>>().Value;
        var dataDirectory = services.DataDirectory();
        return Path.GetFullPath(mail.PickupDirectory, dataDirectory);
    }
}
