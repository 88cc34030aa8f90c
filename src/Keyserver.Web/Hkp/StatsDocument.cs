using Keyserver.Core.Storage;

namespace Keyserver.Web.Hkp;

/// <summary>
/// The answer of <c>op=stats</c> (SKS's extension): as JSON with <c>options=mr</c>, else as a page.
/// Public statistics count what is served only: keys nobody confirmed are not even counted.
/// </summary>
internal sealed record StatsDocument(
    string Software,
    string Version,
    long UptimeSeconds,
    int Keys,
    int PublishedKeys,
    int PublishedIdentities)
{
    public static StatsDocument From(StoreStatistics statistics, ServerInfo server) => new(
        ServerInfo.Software,
        server.Version,
        (long)server.Uptime.TotalSeconds,
        statistics.PublishedKeys,
        statistics.PublishedKeys,
        statistics.PublishedIdentities);
}
