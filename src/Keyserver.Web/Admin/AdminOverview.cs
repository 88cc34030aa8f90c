using Keyserver.Core.Keys;
using Keyserver.Core.Storage;
using Keyserver.Web.Site;

namespace Keyserver.Web.Admin;

/// <summary>The dashboard's figures from the stored keys: totals, identities by status, and the days of <see cref="ActivityReport"/>.</summary>
/// <param name="Activity">New keys and confirmations per day over <see cref="PortalActivity.Days"/> days, and the store's totals.</param>
/// <param name="Identities">Identities of every stored key by the status users see.</param>
internal sealed record OverviewReport(ActivityReport Activity, IReadOnlyDictionary<IdentityStatus, int> Identities);

/// <summary>
/// One scan of the store per dashboard view (never cached: an admin wants the figures of now; only
/// signed-in admins can cause it).
/// </summary>
internal sealed class AdminOverview(IKeyStore store, TimeProvider time)
{
    public async Task<OverviewReport> GetAsync(CancellationToken cancellationToken = default)
    {
        var counter = new ActivityReport.Counter(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), PortalActivity.Days);
        var identities = Enum.GetValues<IdentityStatus>().ToDictionary(s => s, _ => 0);
        await foreach (var record in store.ScanAsync(cancellationToken))
        {
            counter.Add(record);
            foreach (var identity in record.Identities)
            {
                identities[identity.Status]++;
            }
        }

        return new OverviewReport(counter.Report(await store.GetStatisticsAsync(cancellationToken)), identities);
    }
}
