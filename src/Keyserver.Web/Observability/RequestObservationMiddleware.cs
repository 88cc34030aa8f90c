using System.Diagnostics;

namespace Keyserver.Web.Observability;

/// <summary>
/// Times every request for <see cref="KeyserverMetrics"/> and writes one log line per request:
/// endpoint kind, redacted path, status, duration and client address (the real client's when the
/// request came through a known proxy).
/// </summary>
internal sealed partial class RequestObservationMiddleware(RequestDelegate next, KeyserverMetrics? metrics, ILogger<RequestObservationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var request = context.Request;
            var endpoint = EndpointKind.Of(request.Path, request.Query);
            metrics?.RecordRequest(endpoint, status, elapsed);
            // Health checks and scrapes come every few seconds and say nothing about clients.
            var level = endpoint is "health" or "metrics" ? LogLevel.Debug : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                LogRequest(
                    level,
                    request.Method,
                    LogRedaction.Redact(request.Path.Value, request.QueryString.Value),
                    status,
                    elapsed.TotalMilliseconds,
                    context.Connection.RemoteIpAddress?.ToString() ?? "-",
                    endpoint);
            }
        }
    }

    [LoggerMessage(Message = "{Method} {Path} {StatusCode} {ElapsedMs:0.0} ms from {Client} ({Endpoint})")]
    private partial void LogRequest(LogLevel level, string method, string path, int statusCode, double elapsedMs, string client, string endpoint);
}
