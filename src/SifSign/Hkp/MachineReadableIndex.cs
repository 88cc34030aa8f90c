using System.Globalization;
using System.Text;

namespace SifSign.Hkp;

/// <summary>
/// Parser for the machine-readable index a keyserver returns for <c>op=index&amp;options=mr</c>
/// (GnuPG <c>doc/KEYSERVER</c>, draft-shaw-openpgp-hkp §5.2).
/// </summary>
public static class MachineReadableIndex
{
    /// <summary>The most keys one index may hold; a larger answer is refused rather than buffered.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Parses an index; unknown record types are ignored (draft-shaw-openpgp-hkp §5.2).</summary>
    /// <exception cref="HkpException">The text is not a machine-readable index.</exception>
    public static IReadOnlyList<IndexEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.TrimStart().StartsWith('<'))
        {
            // dirmngr makes the same call: HTML is never a machine-readable index.
            throw new HkpException("malformed index from keyserver: got HTML, not a machine-readable index");
        }

        var entries = new List<IndexEntry>();
        int? declaredCount = null;
        IndexEntry? current = null;
        var userIds = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(':');
            switch (fields[0].ToLowerInvariant())
            {
                case "info":
                    if (Field(fields, 1) is { Length: > 0 } version && version != "1")
                    {
                        throw new HkpException($"malformed index from keyserver: unsupported index version '{version}'");
                    }

                    declaredCount = ParseInt(Field(fields, 2), lineNumber, "key count");
                    break;
                case "pub":
                    Flush();
                    var keyId = Field(fields, 1).ToUpperInvariant();
                    if (keyId.Length is not (8 or 16 or 32 or 40 or 64) || !keyId.All(Uri.IsHexDigit))
                    {
                        throw new HkpException($"malformed index from keyserver: line {lineNumber}: '{Truncate(keyId)}' is not a key ID or fingerprint");
                    }

                    current = new IndexEntry(
                        keyId,
                        ParseInt(Field(fields, 2), lineNumber, "algorithm"),
                        ParseInt(Field(fields, 3), lineNumber, "key length"),
                        ParseTime(Field(fields, 4), lineNumber),
                        ParseTime(Field(fields, 5), lineNumber),
                        Field(fields, 6).ToLowerInvariant(),
                        []);
                    if (entries.Count >= MaxEntries)
                    {
                        throw new HkpException($"malformed index from keyserver: more than {MaxEntries} keys");
                    }

                    break;
                case "uid":
                    if (current is null)
                    {
                        throw new HkpException($"malformed index from keyserver: line {lineNumber}: uid before any pub line");
                    }

                    userIds.Add(Unescape(Field(fields, 1)));
                    break;
                default:
                    break;
            }
        }

        Flush();
        if (declaredCount is > 0 && declaredCount != entries.Count)
        {
            throw new HkpException($"malformed index from keyserver: info line announces {declaredCount} keys but {entries.Count} were listed");
        }

        return entries;

        void Flush()
        {
            if (current is not null)
            {
                entries.Add(current with { UserIds = userIds.ToArray() });
                userIds.Clear();
                current = null;
            }
        }
    }

    /// <summary>
    /// Decodes %XX escapes as UTF-8; a malformed escape is kept as it is, as Apptainer shows
    /// undecodable strings raw.
    /// </summary>
    public static string Unescape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index].Trim() : string.Empty;

    private static int? ParseInt(string value, int lineNumber, string what)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new HkpException($"malformed index from keyserver: line {lineNumber}: {what} '{Truncate(value)}' is not a number");
        }

        return number;
    }

    private static DateTimeOffset? ParseTime(string value, int lineNumber)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            throw new HkpException($"malformed index from keyserver: line {lineNumber}: time '{Truncate(value)}' is not a Unix time");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
