using System.Globalization;
using System.Text;

namespace SifSign.Cli.Console;

/// <summary>
/// String escaping as Go's <c>encoding/json</c> with HTML escaping on (Apptainer's verify --json):
/// <c>&lt; &gt; &amp;</c> as lower-case <c>\u003c</c>-style escapes, non-ASCII kept as UTF-8.
/// System.Text.Json writes upper-case hex, which scripts comparing output byte for byte would see.
/// </summary>
internal static class GoJson
{
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    public static string Bool(bool value) => value ? "true" : "false";
}
