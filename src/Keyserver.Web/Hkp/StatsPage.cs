using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Keyserver.Core.Storage;

namespace Keyserver.Web.Hkp;

/// <summary>The JSON answer of <c>op=stats&amp;options=mr</c>.</summary>
internal sealed record StatsDocument(
    string Software,
    string Version,
    long UptimeSeconds,
    int Keys,
    int PublishedKeys,
    int PublishedIdentities);

/// <summary><c>op=stats</c>: key and identity counts, version and uptime (spec §1.3).</summary>
internal static class StatsPage
{
    public static StatsDocument Document(StoreStatistics statistics, ServerInfo server) => new(
        ServerInfo.Software,
        server.Version,
        (long)server.Uptime.TotalSeconds,
        statistics.Keys,
        statistics.PublishedKeys,
        statistics.PublishedIdentities);

    public static string Render(StoreStatistics statistics, ServerInfo server)
    {
        var document = Document(statistics, server);
        var html = new StringBuilder();
        Page.Open(html, "Keyserver statistics");
        html.Append("<h1>Keyserver statistics</h1>\n<dl>\n");
        Row(html, "Software", document.Software + " " + document.Version);
        Row(html, "Uptime", TimeSpan.FromSeconds(document.UptimeSeconds).ToString("c", CultureInfo.InvariantCulture));
        Row(html, "Keys", document.Keys.ToString(CultureInfo.InvariantCulture));
        Row(html, "Published keys", document.PublishedKeys.ToString(CultureInfo.InvariantCulture));
        Row(html, "Published identities", document.PublishedIdentities.ToString(CultureInfo.InvariantCulture));
        html.Append("</dl>\n");
        Page.Close(html);
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(name).Append("</dt><dd>").Append(HtmlEncoder.Default.Encode(value)).Append("</dd>\n");
}
