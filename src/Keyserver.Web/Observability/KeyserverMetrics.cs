using System.Diagnostics.Metrics;
using Keyserver.Core.Ingest;
using Keyserver.Core.Storage;

namespace Keyserver.Web.Observability;

/// <summary>
/// Every instrument of the application, on the one meter <see cref="MeterName"/>. Exported as Prometheus
/// series by OpenTelemetry (dots become underscores, counters get <c>_total</c>, the unit a suffix).
/// </summary>
internal sealed class KeyserverMetrics : IDisposable
{
    public const string MeterName = "Keyserver";

    /// <summary>The store's counts are read at most this often, however often Prometheus scrapes.</summary>
    internal static readonly TimeSpan StatisticsMaxAge = TimeSpan.FromSeconds(5);

    private readonly Meter _meter;
    private readonly Histogram<double> _requests;
    private readonly Counter<long> _uploads;
    private readonly Counter<long> _mail;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _imported;
    private readonly IKeyStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _statisticsLock = new();
    private StoreStatistics _statistics = new(0, 0, 0);
    private DateTimeOffset _statisticsRead = DateTimeOffset.MinValue;

    public KeyserverMetrics(IMeterFactory meters, IKeyStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _store = store;
        _time = time;
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateHistogram<double>(
            "keyserver.http.request.duration", "s", "HTTP requests by endpoint kind and status class, with their duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _uploads = _meter.CreateCounter<long>("keyserver.uploads", "{key}", "Uploaded keys by outcome (added, updated, unchanged, rejected) and rejection reason.");
        _mail = _meter.CreateCounter<long>("keyserver.mail", "{mail}", "Mail by event: queued, sent, retried, failed (dropped undeliverable).");
        _imported = _meter.CreateCounter<long>("keyserver.import.keys", "{key}", "Keys the import command sent through the running server, by outcome (added, updated, unchanged, rejected).");
        _rateLimited = _meter.CreateCounter<long>("keyserver.rate_limit.rejections", "{request}", "Requests refused by the per-address upload rate limit.");
        _meter.CreateObservableGauge("keyserver.keys.stored", () => Counts().Keys, "{key}", "Keys in the store.");
        _meter.CreateObservableGauge("keyserver.keys.published", () => Counts().PublishedKeys, "{key}", "Keys with at least one published identity.");
        _meter.CreateObservableGauge(
            "keyserver.identities",
            () =>
            {
                var counts = Counts();
                return new[]
                {
                    new Measurement<long>(counts.PendingIdentities, new KeyValuePair<string, object?>("state", "pending")),
                    new Measurement<long>(counts.PublishedIdentities, new KeyValuePair<string, object?>("state", "published")),
                    new Measurement<long>(counts.UnpublishedIdentities, new KeyValuePair<string, object?>("state", "unpublished")),
                    new Measurement<long>(counts.RevokedIdentities, new KeyValuePair<string, object?>("state", "revoked")),
                };
            },
            "{identity}",
            "Identities by state: pending, published, unpublished, revoked (a published identity its owner revoked).");
        if (store is Keyserver.Storage.LiteDb.LiteDbKeyStore liteDb)
        {
            _meter.CreateObservableCounter(
                "keyserver.lookup_cache.requests",
                () => new[]
                {
                    new Measurement<long>(liteDb.LookupCacheCounts.Hits, new KeyValuePair<string, object?>("result", "hit")),
                    new Measurement<long>(liteDb.LookupCacheCounts.Misses, new KeyValuePair<string, object?>("result", "miss")),
                },
                "{request}",
                "Key and search-term reads answered from the lookup cache (hit) or from LiteDB (miss).");
        }
    }

    public void RecordRequest(string endpoint, int statusCode, TimeSpan duration) =>
        _requests.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("status_class", StatusClass(statusCode)));

    /// <summary>One count per key of an upload (HKP, VKS, portal or the import command).</summary>
    public void RecordUpload(IngestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var key in report.Keys)
        {
            _uploads.Add(
                1,
                new KeyValuePair<string, object?>("outcome", key.Kind.ToString().ToLowerInvariant()),
                new KeyValuePair<string, object?>("reason", key.Kind == KeyOutcomeKind.Rejected ? RejectionReason(key.Reason) : ""));
        }

        if (report.Keys.Count == 0)
        {
            // Nothing that parsed as a key: the upload as a whole is rejected.
            _uploads.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"), new KeyValuePair<string, object?>("reason", "malformed"));
        }
    }

    public void RecordMail(string mailEvent) => _mail.Add(1, new KeyValuePair<string, object?>("event", mailEvent));

    public void RecordRateLimited() => _rateLimited.Add(1);

    /// <summary>One count per key an import run through the running server handled: the import rate.</summary>
    public void RecordImport(KeyOutcomeKind outcome, int keys) =>
        _imported.Add(keys, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    /// <summary>2xx, 4xx, ...: few series, whatever status codes clients provoke.</summary>
    internal static string StatusClass(int statusCode) => statusCode is >= 100 and <= 599 ? $"{statusCode / 100}xx" : "other";

    /// <summary>
    /// A short fixed label for a rejection reason: the reasons are sentences with numbers in them,
    /// which would make a new series per key.
    /// </summary>
    internal static string RejectionReason(string? reason) => reason switch
    {
        null or "" => "unusable",
        _ when reason.Contains("secret", StringComparison.OrdinalIgnoreCase) => "secret_key",
        _ when reason.Contains("blocked by the operator", StringComparison.Ordinal) => "blocked",
        _ when reason.StartsWith("no identity in ", StringComparison.Ordinal) => "outside_policy",
        _ when reason.Contains("exceeds", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("MaxKeyBytes", StringComparison.Ordinal) => "too_large",
        _ when reason.Contains("user IDs", StringComparison.OrdinalIgnoreCase) => "too_many_user_ids",
        _ when reason.Contains("subkeys", StringComparison.OrdinalIgnoreCase) => "too_many_subkeys",
        _ when reason.Contains("algorithm", StringComparison.OrdinalIgnoreCase) => "unsupported_algorithm",
        _ when reason.Contains("self-signed", StringComparison.OrdinalIgnoreCase) => "no_valid_self_signature",
        _ => "malformed",
    };

    public void Dispose() => _meter.Dispose();

    /// <summary>
    /// The store's kept counts, read on every scrape (constant time), or for a store that does not
    /// keep them its statistics, read at most every <see cref="StatisticsMaxAge"/>: those know only
    /// published identities.
    /// </summary>
    private StoreCounters Counts()
    {
        if (_store is IStoreCounters kept)
        {
            return kept.Counters;
        }

        var statistics = Statistics();
        return new StoreCounters(statistics.Keys, statistics.PublishedKeys, 0, statistics.PublishedIdentities, 0, 0);
    }

    private StoreStatistics Statistics()
    {
        lock (_statisticsLock)
        {
            var now = _time.GetUtcNow();
            if (now - _statisticsRead >= StatisticsMaxAge)
            {
                // Observable callbacks are synchronous; the store's count is a local file read.
                _statistics = _store.GetStatisticsAsync().GetAwaiter().GetResult();
                _statisticsRead = now;
            }

            return _statistics;
        }
    }
}
