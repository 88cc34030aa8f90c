using System.Globalization;
using System.Text;

namespace SifSign.Text;

/// <summary>
/// JSON strings as Go's <c>encoding/json</c> writes them with HTML escaping on (its default, used by
/// the DSSE envelopes of sylabs/sif and by Apptainer's <c>verify --json</c>): <c>&lt; &gt; &amp;</c>,
/// U+2028, U+2029 and control characters as lower-case <c>\u00xx</c> escapes, non-ASCII kept as is.
/// System.Text.Json writes upper-case hex, which byte-for-byte comparisons would see.
/// </summary>
internal static class GoJson
{
    /// <summary>The quoted string.</summary>
    public static string Quote(string value) => AppendQuoted(new StringBuilder(value.Length + 2), value).ToString();

    /// <summary>Appends the quoted string to <paramref name="json"/>.</summary>
    public static StringBuilder AppendQuoted(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default: json.Append(c); break;
            }
        }

        return json.Append('"');
    }

    /// <summary>A Go JSON boolean.</summary>
    public static string Bool(bool value) => value ? "true" : "false";
}
