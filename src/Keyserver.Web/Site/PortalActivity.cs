using Keyserver.Core.Keys;
using Keyserver.Core.Storage;

namespace Keyserver.Web.Site;

/// <summary>Counts per UTC day, oldest first, for the statistics page.</summary>
/// <param name="Days">The days, oldest first.</param>
/// <param name="NewKeys">Keys first stored on each day.</param>
/// <param name="Confirmations">Identities published on each day (and still published).</param>
/// <param name="Totals">Keys and published identities now.</param>
internal sealed record ActivityReport(IReadOnlyList<DateOnly> Days, IReadOnlyList<int> NewKeys, IReadOnlyList<int> Confirmations, StoreStatistics Totals)
{
    /// <summary>
    /// Derived from the stored keys: a key's first upload (<see cref="KeyRecord.FirstSeen"/>) and the
    /// day each published identity was published (<see cref="IdentityRecord.StateChanged"/>). Deleted
    /// keys and withdrawn identities no longer count.
    /// </summary>
    public static ActivityReport Build(IEnumerable<KeyRecord> records, StoreStatistics totals, DateOnly today, int days)
    {
        var counter = new Counter(today, days);
        foreach (var record in records)
        {
            counter.Add(record);
        }

        return counter.Report(totals);
    }

    /// <summary>Adds keys one at a time, so a scan of the store never holds more than one.</summary>
    internal sealed class Counter(DateOnly today, int days)
    {
        private readonly DateOnly _first = today.AddDays(1 - days);
        private readonly int[] _keys = new int[days];
        private readonly int[] _confirmations = new int[days];

        public void Add(KeyRecord record)
        {
            Count(_keys, record.FirstSeen);
            foreach (var identity in record.Identities.Where(i => i.State == IdentityState.Published))
            {
                Count(_confirmations, identity.StateChanged);
            }
        }

        public ActivityReport Report(StoreStatistics totals) =>
            new(Enumerable.Range(0, days).Select(_first.AddDays).ToList(), _keys, _confirmations, totals);

        private void Count(int[] counts, DateTimeOffset at)
        {
            var index = DateOnly.FromDateTime(at.UtcDateTime).DayNumber - _first.DayNumber;
            if (index >= 0 && index < days)
            {
                counts[index]++;
            }
        }
    }
}

/// <summary>
/// The statistics page's numbers, computed by one scan of the store and kept for a few minutes so
/// that visitors cannot make the server scan on every request.
/// </summary>
internal sealed class PortalActivity(IKeyStore store, TimeProvider time)
{
    public const int Days = 30;

    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ActivityReport Report, DateTimeOffset At)? _cached;

    public async Task<ActivityReport> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cached is { } hit && now - hit.At < KeepFor)
        {
            return hit.Report;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && now - again.At < KeepFor)
            {
                return again.Report;
            }

            var counter = new ActivityReport.Counter(DateOnly.FromDateTime(now.UtcDateTime), Days);
            await foreach (var record in store.ScanAsync(cancellationToken))
            {
                counter.Add(record);
            }

            var report = counter.Report(await store.GetStatisticsAsync(cancellationToken));
            _cached = (report, now);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }
}
