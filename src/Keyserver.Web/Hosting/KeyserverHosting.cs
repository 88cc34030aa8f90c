using Keyserver.Web.Hkp;
using Keyserver.Web.Options;
using Microsoft.Extensions.Logging.Console;

namespace Keyserver.Web.Hosting;

/// <summary>How the web host listens, logs and runs under systemd.</summary>
internal static class KeyserverHosting
{
    /// <summary>ISO 8601 in UTC, so that lines from several hosts sort together.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    public static WebApplicationBuilder AddKeyserverHosting(this WebApplicationBuilder builder, StartupLogGate gate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(gate);

        // Urls (--urls, ASPNETCORE_URLS) or HKP's port, plus the separate metrics listener if any,
        // plus the control socket the maintenance commands reach a running server by.
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : HkpEndpoints.DefaultUrl;
        var metrics = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        var metricsUrls = metrics.Enabled && !metrics.Validate(new(metrics)).Any() ? metrics.ParseUrls() : [];
        var control = Control.ControlSocket.ListenUrl(builder.Configuration, builder.Environment.ContentRootPath) is { } socket ? [socket] : Array.Empty<string>();
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            .. metricsUrls.Select(u => u.GetLeftPart(UriPartial.Authority)), .. control]);

        builder.Logging.AddFilter(StartupLogGate.HostCategory, gate.Allows);

        // A timestamp on every line by default; Logging:Console:FormatterOptions still overrides each value,
        // and Logging:Console:FormatterName=json switches to JSON lines (which take the same options).
        var formatterOptions = builder.Configuration.GetSection("Logging:Console:FormatterOptions");
        // Without a formatter name the console logger rebuilds the simple formatter's options from its
        // legacy settings and loses these defaults: name it unless configured.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.TimestampFormat = TimestampFormat;
            options.UseUtcTimestamp = true;
            options.SingleLine = true;
            formatterOptions.Bind(options);
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.TimestampFormat = TimestampFormat.TrimEnd();
            options.UseUtcTimestamp = true;
            formatterOptions.Bind(options);
        });

        // Type=notify under systemd (READY=1 once listening, STOPPING=1 on SIGTERM); nothing elsewhere.
        builder.Services.AddSystemd();
        return builder;
    }
}
