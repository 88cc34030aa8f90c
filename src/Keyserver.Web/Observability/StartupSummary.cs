using Keyserver.Storage.LiteDb;
using Keyserver.Web.Mail;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Observability;

/// <summary>The one line that tells an operator, once listening, which mode the server runs in.</summary>
internal static partial class StartupSummary
{
    public static void LogStartupSummary(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var dataDirectory = services.DataDirectory();
        var (store, location) = services.StoreDescription();
        var mode = services.GetRequiredService<IOptions<VerificationOptions>>().Value.ToPublicationMode();
        var smtp = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        var mail = smtp.Enabled
            ? "SMTP " + smtp
            : "outbox folder " + Path.GetFullPath(services.GetRequiredService<IOptions<MailOptions>>().Value.PickupDirectory, dataDirectory);
        var metrics = services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var metricsText = !metrics.Enabled ? "off" : metrics.Urls.Length > 0 ? "on at " + metrics.Urls : "on at /metrics";
        var proxy = services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        var proxyText = proxy.Enabled ? string.Join(", ", proxy.KnownProxies.Concat(proxy.KnownNetworks)) : "none";
        Log(
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Keyserver.Web.Startup"),
            string.Join(", ", addresses),
            store,
            location,
            mode,
            mail,
            metricsText,
            proxyText);
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Keyserver listening on {Urls}; store {Store} in {DataDirectory}; verification {VerificationMode}; mail to {Mail}; metrics {Metrics}; trusted proxies {Proxies}")]
    private static partial void Log(ILogger logger, string urls, string store, string dataDirectory, Keyserver.Core.Ingest.PublicationMode verificationMode, string mail, string metrics, string proxies);
}
