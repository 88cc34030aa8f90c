using Keyserver.Web.Options;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Keyserver.Web.Observability;

/// <summary>Metrics at <c>/metrics</c>, request logs, and forwarded headers from known proxies only.</summary>
internal static class ObservabilityExtensions
{
    /// <summary>ASP.NET Core's own meters exported beside the application's.</summary>
    private static readonly string[] FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<KeyserverMetrics>();

        // Decided from configuration now: the exporter is either registered or not at all.
        if (builder.Configuration.GetValue(MetricsOptions.Section + ":" + nameof(MetricsOptions.Enabled), true))
        {
            services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("keyserver")).WithMetrics(metrics => metrics
                .AddMeter(KeyserverMetrics.MeterName)
                .AddMeter(FrameworkMeters)
                .AddPrometheusExporter(exporter =>
                {
                    exporter.ScrapeEndpointPath = MetricsOptions.Path;
                    // Every scrape sees current values, so a test's fresh upload is in the next one.
                    exporter.ScrapeResponseCacheDurationMilliseconds = 0;
                }));
        }

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback by default; here nobody is trusted unless named.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline: forwarded headers, the metrics listener, request timing and logs.</summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        var metrics = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var metricsPorts = metrics.Enabled ? metrics.ParseUrls().Select(u => u.Port).ToHashSet() : [];
        if (metricsPorts.Count > 0)
        {
            // The metrics listener serves /metrics and nothing else; the public one never serves it.
            app.MapWhen(
                context => metricsPorts.Contains(context.Connection.LocalPort),
                branch =>
                {
                    branch.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsOptions.Path);
                    branch.Run(context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return context.Response.WriteAsync("Only /metrics is served here.\n");
                    });
                });
        }

        app.UseMiddleware<RequestObservationMiddleware>();
        if (metrics.Enabled && metricsPorts.Count == 0)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsOptions.Path);
        }

        return app;
    }
}
