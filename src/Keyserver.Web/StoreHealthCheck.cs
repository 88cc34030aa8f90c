using Keyserver.Storage.LiteDb;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keyserver.Web;

/// <summary>
/// <c>/healthz</c> turns 503 while the store cannot read or write: a cheap read of the catalogue
/// (which also reopens an engine that failed) and, while the last write failed, a one-document
/// write, so the store reports healthy again as soon as the disk has space.
/// </summary>
internal sealed class StoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await services.ProbeStoreAsync(cancellationToken);
        return problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(problem);
    }
}

/// <summary>Registers <see cref="StoreHealthCheck"/> and answers 503 with Retry-After while the store fails.</summary>
internal static class StoreFaults
{
    /// <summary>Seconds a client is asked to wait before retrying a request the store could not serve.</summary>
    public const int RetryAfterSeconds = 30;

    public static IHealthChecksBuilder AddStoreHealthCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<StoreHealthCheck>("store");

    /// <summary>True when <paramref name="exception"/> says the store (LiteDB or PostgreSQL) cannot serve now and nothing was written.</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is StoreUnavailableException or Keyserver.Storage.PostgreSql.PostgreSqlUnavailableException;

    /// <summary>
    /// Maps <see cref="StoreUnavailableException"/> from any endpoint to 503 with Retry-After and a
    /// one-line plain-text reason (RFC 9110 §15.6.4 and §10.2.3): the request stored nothing and may
    /// be repeated.
    /// </summary>
    public static IApplicationBuilder UseStoreFaults(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (IsUnavailable(e) && !http.Response.HasStarted)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>()
                    .CreateLogger(typeof(StoreFaults))
                    .LogError("Store unavailable for {Method} {Path}: {Reason}", http.Request.Method, http.Request.Path, e.Message);
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("The key store is temporarily unavailable; nothing was stored. Retry later.\n", http.RequestAborted);
            }
        });
}
