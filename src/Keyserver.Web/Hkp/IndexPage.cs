using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Keyserver.Core.Keys;

namespace Keyserver.Web.Hkp;

/// <summary>
/// The human-readable answer to <c>op=index|vindex</c> without <c>mr</c>. Every user ID and the
/// search text are attacker-controlled, so each goes through the HTML encoder.
/// </summary>
internal static class IndexPage
{
    public static string Render(string search, IReadOnlyList<KeyRecord> keys, bool verbose, DateTimeOffset now)
    {
        var html = new StringBuilder();
        var title = "Search results for " + search;
        Page.Open(html, title);
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
        foreach (var key in keys)
        {
            var primary = key.Primary;
            html.Append("<section class=\"key\">\n<h2><a href=\"/pks/lookup?op=get&amp;options=mr&amp;search=0x")
                .Append(Encode(key.Fingerprint)).Append("\">").Append(Encode(Page.GroupFingerprint(key.Fingerprint))).Append("</a></h2>\n<p>")
                .Append(Encode(Page.Algorithm(primary))).Append(", created ").Append(Page.Date(primary.Created));
            if (primary.Expires is { } expires)
            {
                html.Append(expires <= now ? ", expired " : ", expires ").Append(Page.Date(expires));
            }

            if (primary.Revoked is not null)
            {
                html.Append(", <strong>revoked</strong>");
            }

            html.Append("</p>\n<ul>\n");
            foreach (var identity in key.Identities.Where(i => i.State == IdentityState.Published))
            {
                html.Append("<li>").Append(Encode(identity.UserId));
                if (identity.Revoked is not null)
                {
                    html.Append(" <strong>revoked</strong>");
                }

                html.Append("</li>\n");
            }

            html.Append("</ul>\n");
            if (verbose && key.Subkeys.Count > 0)
            {
                html.Append("<ul class=\"subkeys\">\n");
                foreach (var subkey in key.Subkeys)
                {
                    html.Append("<li>sub ").Append(Encode(Page.GroupFingerprint(subkey.Fingerprint))).Append(", ")
                        .Append(Encode(Page.Algorithm(subkey.Info))).Append(", created ").Append(Page.Date(subkey.Info.Created))
                        .Append(subkey.Info.Revoked is null ? "" : ", <strong>revoked</strong>").Append("</li>\n");
                }

                html.Append("</ul>\n");
            }

            html.Append("</section>\n");
        }

        Page.Close(html);
        return html.ToString();
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}

/// <summary>The shared frame and formatting of the small HKP HTML pages.</summary>
internal static class Page
{
    public static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(HtmlEncoder.Default.Encode(title))
            .Append("</title>\n<link rel=\"stylesheet\" href=\"/site.css\">\n</head>\n<body>\n");

    public static void Close(StringBuilder html) => html.Append("</body>\n</html>\n");

    public static string Date(DateTimeOffset date) => date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The curve name for elliptic-curve keys (it implies the size), else the algorithm and its bits.</summary>
    public static string Algorithm(KeyInfo info) => info.Curve ?? info.Algorithm switch
    {
        1 or 2 or 3 => "RSA",
        16 => "Elgamal",
        17 => "DSA",
        _ => "algorithm " + info.Algorithm.ToString(CultureInfo.InvariantCulture),
    } + " " + info.Bits.ToString(CultureInfo.InvariantCulture);

    /// <summary>Groups of four hex digits, as gpg prints fingerprints.</summary>
    public static string GroupFingerprint(string fingerprint) =>
        string.Join(' ', fingerprint.Chunk(4).Select(chunk => new string(chunk)));
}
