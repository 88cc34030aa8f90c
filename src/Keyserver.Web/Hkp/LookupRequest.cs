using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Keyserver.Core.Search;
using Keyserver.Web.Http;

namespace Keyserver.Web.Hkp;

/// <summary>The operations of <c>GET /pks/lookup</c> this server answers (draft-shaw-openpgp-hkp-00 §3.1.2, and SKS's <c>stats</c>).</summary>
internal enum LookupOperation
{
    Get,
    Index,
    VerboseIndex,
    Stats,
}

/// <summary>A lookup the parser could not accept: the status to answer and a short reason.</summary>
internal sealed record LookupError(int StatusCode, string Message);

/// <summary>
/// A parsed <c>GET /pks/lookup</c> request (draft-shaw-openpgp-hkp-00 §3). <see cref="Search"/> is
/// the decoded search text and <see cref="Query"/> what <see cref="KeyQueryParser"/> made of it;
/// both are null only for <c>op=stats</c>.
/// </summary>
internal sealed record LookupRequest(
    LookupOperation Operation,
    string? Search,
    KeyQuery? Query,
    bool MachineReadable,
    bool Exact,
    int? PageSize,
    int Offset)
{
    /// <summary>
    /// Parses the raw query string (with or without the leading <c>?</c>). The raw string is used
    /// instead of ASP.NET's query collection because clients disagree about <c>+</c> and
    /// because invalid UTF-8 must be refused, not silently replaced.
    /// </summary>
    public static bool TryParse(string? queryString, [NotNullWhen(true)] out LookupRequest? request, [NotNullWhen(false)] out LookupError? error)
    {
        request = null;
        error = null;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? rawSearch = null;
        foreach (var pair in (queryString ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            // A pair is split at its first '=' only: sq sends an armor checksum's '=' unescaped.
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? "" : pair[(equals + 1)..];
            if (!TryDecode(rawName, plusIsSpace: true, out var name))
            {
                error = new LookupError(400, "The query is not valid percent-encoded UTF-8.");
                return false;
            }

            // The search is decoded later by its own rule (see TryDecodeSearch).
            if (name.Equals("search", StringComparison.OrdinalIgnoreCase))
            {
                rawSearch ??= rawValue;
                continue;
            }

            // A repeated variable keeps its first value, as ASP.NET's own binding would.
            if (fields.ContainsKey(name))
            {
                continue;
            }

            if (!TryDecode(rawValue, plusIsSpace: true, out var value))
            {
                error = new LookupError(400, "The query is not valid percent-encoded UTF-8.");
                return false;
            }

            fields[name] = value;
        }

        if (!fields.TryGetValue("op", out var op) || op.Length == 0)
        {
            error = new LookupError(400, "Missing op.");
            return false;
        }

        // get, index and vindex (draft-shaw §3.1.2) and SKS's stats; everything else (hget, x-*) is not implemented here.
        LookupOperation? operation = op.ToLowerInvariant() switch
        {
            "get" => LookupOperation.Get,
            "index" => LookupOperation.Index,
            "vindex" => LookupOperation.VerboseIndex,
            "stats" => LookupOperation.Stats,
            _ => null,
        };
        if (operation is null)
        {
            error = new LookupError(501, "This op is not implemented.");
            return false;
        }

        // draft-shaw §3.2: options is a comma-separated list; only mr changes the answer, the rest are accepted.
        var machineReadable = fields.TryGetValue("options", out var options)
            && options.Split(',').Any(o => o.Trim().Equals("mr", StringComparison.OrdinalIgnoreCase));
        var exact = fields.TryGetValue("exact", out var exactValue)
            && exactValue.Equals("on", StringComparison.OrdinalIgnoreCase);

        string? search = null;
        if (rawSearch is not null)
        {
            if (!TryDecodeSearch(rawSearch, out search))
            {
                error = new LookupError(400, "The search is not valid percent-encoded UTF-8.");
                return false;
            }

            search = search.Trim();
        }

        KeyQuery? query = null;
        if (operation != LookupOperation.Stats)
        {
            // search is required for every op except stats; what it may contain is KeyQueryParser's rule.
            if (string.IsNullOrEmpty(search))
            {
                error = new LookupError(400, "Missing search.");
                return false;
            }

            if (!KeyQueryParser.TryParse(search, exact, out query, out var queryError))
            {
                error = new LookupError(400, queryError);
                return false;
            }
        }

        // x-pagesize / x-pagetoken, the Sylabs paging extension apptainer's client sends.
        int? pageSize = null;
        if (fields.TryGetValue("x-pagesize", out var pageSizeText))
        {
            if (!int.TryParse(pageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
            {
                error = new LookupError(400, "x-pagesize must be a positive integer.");
                return false;
            }

            pageSize = size;
        }

        var offset = 0;
        if (fields.TryGetValue("x-pagetoken", out var token) && token.Length > 0 && !PageToken.TryDecode(token, out offset))
        {
            error = new LookupError(400, "x-pagetoken is not a token this server issued.");
            return false;
        }

        request = new LookupRequest(operation.Value, search, query, machineReadable, exact, pageSize, offset);
        return true;
    }

    /// <summary>
    /// Decodes the search value. Go clients (apptainer) form-encode it (space as <c>+</c>, <c>+</c>
    /// as <c>%2B</c>) while gpg sends a literal <c>+</c> and spaces as <c>%20</c>. So <c>+</c>
    /// stays literal when the value also carries <c>%20</c> (a gpg request) or when keeping it
    /// yields an e-mail address, which can never contain a space.
    /// </summary>
    private static bool TryDecodeSearch(string raw, out string search)
    {
        if (!raw.Contains('+', StringComparison.Ordinal))
        {
            return TryDecode(raw, plusIsSpace: false, out search);
        }

        if (!TryDecode(raw, plusIsSpace: false, out var literal))
        {
            search = "";
            return false;
        }

        if (raw.Contains("%20", StringComparison.Ordinal) || SearchText.Email(literal) is not null)
        {
            search = literal;
            return true;
        }

        return TryDecode(raw, plusIsSpace: true, out search);
    }

    /// <summary>Percent-decodes to bytes and then strictly to UTF-8; a malformed escape is refused.</summary>
    internal static bool TryDecode(string raw, bool plusIsSpace, out string decoded)
    {
        decoded = "";

        // The server decoded raw request bytes to text already; U+FFFD means some were not UTF-8.
        if (raw.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return false;
        }

        if (!raw.Contains('%', StringComparison.Ordinal) && !(plusIsSpace && raw.Contains('+', StringComparison.Ordinal)))
        {
            decoded = raw;
            return !HasLoneSurrogate(raw);
        }

        if (HasLoneSurrogate(raw) || !PercentEncoding.TryDecode(Encoding.UTF8.GetBytes(raw), plusIsSpace, strict: true, out var bytes))
        {
            return false;
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

}

/// <summary>The opaque <c>x-pagetoken</c>: the offset of the next page, prefixed so that a stray value is refused.</summary>
internal static class PageToken
{
    private const string Prefix = "o";

    public static string Encode(int offset) => Prefix + offset.ToString(CultureInfo.InvariantCulture);

    public static bool TryDecode(string token, out int offset)
    {
        offset = 0;
        return token.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(token.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
