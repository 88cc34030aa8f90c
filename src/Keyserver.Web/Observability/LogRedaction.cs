using System.Text;
using System.Text.RegularExpressions;

namespace Keyserver.Web.Observability;

/// <summary>
/// What of a request URL may be logged: e-mail addresses lose their local part, verification and
/// management tokens and key text are replaced. Addresses are personal data; a token in a log is a key
/// to someone's identity.
/// </summary>
internal static partial class LogRedaction
{
    public const string Hidden = "***";

    // WKD's hu/<hash> and l=<local part> (draft-koch-openpgp-webkey-service-22 §3.1) are an address's
    // local part, hashed or plain: hidden like the local part of any other address.
    private static readonly string[] TokenSegments = ["verify", "manage", "hu"];
    private static readonly string[] SecretParameters = ["token", "keytext", "l"];

    /// <summary>Path and query as they may appear in a log line.</summary>
    public static string Redact(string? path, string? query)
    {
        var text = new StringBuilder();
        var segments = (path ?? "").Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                text.Append('/');
            }

            var hideToken = i > 0 && TokenSegments.Contains(segments[i - 1], StringComparer.OrdinalIgnoreCase) && segments[i].Length > 0;
            text.Append(hideToken ? Hidden : MaskAddresses(Decode(segments[i])));
        }

        if (!string.IsNullOrEmpty(query) && query != "?")
        {
            var separator = '?';
            foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? null : Decode(pair[(equals + 1)..]);
                text.Append(separator).Append(MaskAddresses(name));
                if (value is not null)
                {
                    text.Append('=').Append(SecretParameters.Contains(name, StringComparer.OrdinalIgnoreCase) ? Hidden : MaskAddresses(value));
                }

                separator = '&';
            }
        }

        return text.ToString();
    }

    /// <summary><c>alice@example.org</c> becomes <c>***@example.org</c>.</summary>
    public static string MaskAddresses(string text) => LocalPart().Replace(text, Hidden + "@");

    private static string Decode(string text)
    {
        try
        {
            // Control characters would let a client forge log lines.
            var decoded = Uri.UnescapeDataString(text.Replace('+', ' '));
            return decoded.Any(char.IsControl) ? string.Concat(decoded.Select(c => char.IsControl(c) ? '?' : c)) : decoded;
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    [GeneratedRegex(@"[^\s<>@/?&=;:,""'()\[\]]+@")]
    private static partial Regex LocalPart();
}
