namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>
/// The <c>keytext=</c> bodies real clients send (spec §9), reproduced byte for byte from the
/// escaping rules recorded on the wire.
/// </summary>
internal static class ClientEncodings
{
    /// <summary>GnuPG 2.2 dirmngr: every character but letters and digits is %-escaped.</summary>
    public static string Gpg(string armor) => "keytext=" + Escape(armor, c => char.IsAsciiLetterOrDigit(c), spaceAsPlus: false);

    /// <summary>sq 0.27: controls, space and <c>"#&lt;&gt;`?{}-+/%</c> are escaped; '=' is sent raw.</summary>
    public static string Sq(string armor) =>
        "keytext=" + Escape(armor, c => c > ' ' && c < 0x7F && !"\"#<>`?{}-+/%".Contains(c, StringComparison.Ordinal), spaceAsPlus: false);

    /// <summary>
    /// apptainer (Go url.Values): space as '+', only <c>A-Za-z0-9-_.~</c> raw; the armor it sends has
    /// no newline after the END line.
    /// </summary>
    public static string Apptainer(string armor) =>
        "keytext=" + Escape(armor.TrimEnd('\n'), c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~', spaceAsPlus: true);

    private static string Escape(string text, Func<char, bool> keep, bool spaceAsPlus)
    {
        var escaped = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c == ' ' && spaceAsPlus)
            {
                escaped.Append('+');
            }
            else if (b < 0x80 && keep(c))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
