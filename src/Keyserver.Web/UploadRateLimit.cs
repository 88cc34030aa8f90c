using System.Globalization;
using System.Threading.RateLimiting;
using Keyserver.Web.Http;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Keyserver.Web;

/// <summary>
/// One per-client limit shared by every path that takes keys or sends mail (<c>/pks/add</c>, the
/// VKS upload, the portal's upload and manage forms), so that switching paths does not buy an
/// abuser a fresh allowance. Only submissions spend it: showing the upload or manage page does not.
/// A client is an IPv4 address or an IPv6 /64 (<see cref="Http.ClientNetwork"/>).
/// </summary>
internal static class UploadRateLimit
{
    public const string Policy = "uploads";

    public static IServiceCollection AddUploadRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            // The limiter's default is 503, which clients (gpg among them) treat as a server fault.
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                context.HttpContext.RequestServices.GetService<Observability.KeyserverMetrics>()?.RecordRateLimited();
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                response.ContentType = MediaTypes.PlainText;
                await response.WriteAsync("Too many requests from this address; try again later.\n", cancellationToken);
            };
            limiter.AddPolicy(Policy, context =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    Http.ClientNetwork.Of(context) ?? "",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = options.QueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    });
            });
        });
}
