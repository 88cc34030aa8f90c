using System.Globalization;
using System.Threading.RateLimiting;
using Keyserver.Core.Search;
using Keyserver.Web.Http;
using Keyserver.Web.Options;
using Microsoft.Extensions.Options;

namespace Keyserver.Web;

/// <summary>
/// The per-client lookup budget, apart from the upload budget and cost-aware: a search by words or
/// user ID reads many keys, so it spends <see cref="RateLimitOptions.LookupSearchCost"/> tokens where
/// an exact lookup spends one. A token bucket per client network refills every second, so a steady
/// client never notices it and a client paging wide searches in a loop is slowed to its share.
/// </summary>
internal sealed class LookupRateLimit : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string> _limiter;

    public LookupRateLimit(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        var perSecond = Math.Max(1, _options.LookupsPerMinute / 60);
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.LookupsPerMinute,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>What a lookup for <paramref name="query"/> costs.</summary>
    public int Cost(KeyQuery? query) => query is KeyQuery.ByWords or KeyQuery.ByUserId ? _options.LookupSearchCost : 1;

    /// <summary>Spends the lookup's cost; null when allowed, else the 429 answer to send.</summary>
    public IResult? TryAcquire(HttpContext context, KeyQuery? query)
    {
        using var lease = _limiter.AttemptAcquire(ClientNetwork.Of(context) ?? "", Math.Min(Cost(query), _options.LookupsPerMinute));
        if (lease.IsAcquired)
        {
            return null;
        }

        context.RequestServices.GetService<Observability.KeyserverMetrics>()?.RecordRateLimited();
        context.Response.Headers.RetryAfter = "1";
        return Results.Text("Too many lookups from this address; try again later.\n", MediaTypes.PlainText, null, StatusCodes.Status429TooManyRequests);
    }

    public void Dispose() => _limiter.Dispose();
}
