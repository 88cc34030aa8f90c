using Org.BouncyCastle.Bcpg;

namespace Interop.Tests.Keyserver;

/// <summary>
/// apptainer's keyserver client (container-key-client 0.7.2, Go net/http) reproduced byte for byte as
/// recorded in spec/hkp.md §9, plus the checks its response parsers make (§1.10). apptainer itself is
/// not packaged for Debian, so its requests are rebuilt here.
/// </summary>
internal sealed partial class ApptainerClient : IDisposable
{
    private readonly HttpClient _http;

    public ApptainerClient(Uri baseUri)
    {
        // Go's transport adds "Accept-Encoding: gzip" and transparently inflates; so does this handler.
        _http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip })
        {
            BaseAddress = baseUri,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Go-http-client/1.1");
    }

    /// <summary>The push body: <c>keytext=</c> + Go form encoding (space as <c>+</c>, newline as <c>%0A</c>).</summary>
    public static string PushBody(string armored) => "keytext=" + GoQueryEscape(armored);

    /// <summary><c>apptainer key push</c>: POST /pks/add.</summary>
    public Task<HttpResponseMessage> PushAsync(string armored)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(PushBody(armored)));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        return _http.PostAsync(new Uri("pks/add", UriKind.Relative), content);
    }

    /// <summary>
    /// <c>apptainer key search TERM</c>: upper-case hex of 8+ digits gets <c>0x</c>; anything else
    /// (lower-case hex included) goes out as text; query keys sorted as Go's <c>url.Values.Encode</c> does.
    /// </summary>
    public Task<HttpResponseMessage> SearchAsync(string term) =>
        _http.GetAsync(new Uri(SearchPath(term), UriKind.Relative));

    public static string SearchPath(string term)
    {
        var search = UpperHex().IsMatch(term) ? "0x" + term : term;
        return "pks/lookup?fingerprint=on&op=index&options=mr&search=" + GoQueryEscape(search) + "&x-pagesize=256";
    }

    /// <summary><c>apptainer key pull FPR</c>: lower-case hex with <c>0x</c>, <c>exact=on</c>, no <c>options=mr</c>.</summary>
    public Task<HttpResponseMessage> PullAsync(string fingerprintOrKeyId) =>
        _http.GetAsync(new Uri(PullPath(fingerprintOrKeyId), UriKind.Relative));

    public static string PullPath(string fingerprintOrKeyId) =>
        "pks/lookup?exact=on&op=get&search=0x" + fingerprintOrKeyId.ToLowerInvariant();

    /// <summary>
    /// The machine-readable index as apptainer's parser reads it; throws where apptainer fails ("failed
    /// to convert machine readable to human readable output correctly").
    /// </summary>
    public static IReadOnlyList<IndexEntry> ParseIndex(string body)
    {
        var entries = new List<IndexEntry>();
        var count = 0;
        foreach (var rawLine in body.Split('\n'))
        {
            var fields = (rawLine.TrimEnd('\r') + ":::::::").Split(':');
            switch (fields[0])
            {
                case "info":
                    count = int.Parse(fields[2], CultureInfo.InvariantCulture);
                    break;
                case "pub":
                    entries.Add(new IndexEntry(fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], []));
                    break;
                case "uid" when entries.Count > 0:
                    entries[^1].UserIds.Add(GoQueryUnescape(fields[1]));
                    break;
            }
        }

        if (count != 0 && count != entries.Count)
        {
            throw new FormatException($"info count {count} differs from {entries.Count} pub lines:\n{body}");
        }

        return entries;
    }

    /// <summary>
    /// The armor go-crypto writes: new-format packets, no headers, 64-column base64, CRC line, and no
    /// newline after the END line.
    /// </summary>
    public static string GoArmor(PgpPublicKeyRing ring)
    {
        using var buffer = new MemoryStream();
        using (var packets = new BcpgOutputStream(buffer, newFormatOnly: true))
        {
            ring.Encode(packets);
        }

        // apptainer sends the block without the final newline.
        return TestKit.OpenPgp.Armor.Encode(buffer.ToArray()).TrimEnd('\n');
    }

    /// <summary>Go's <c>url.QueryEscape</c>: only <c>A-Z a-z 0-9 - _ . ~</c> stay, space becomes <c>+</c>.</summary>
    public static string GoQueryEscape(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Go's <c>url.QueryUnescape</c>; an undecodable string is shown raw, as apptainer does.</summary>
    private static string GoQueryUnescape(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    return value;
                }

                bytes.Add(byte.Parse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c == '+' ? " " : c.ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex("^[0-9A-F]{8,}$")]
    private static partial Regex UpperHex();
}

/// <summary>One <c>pub</c> record of a machine-readable index with the user IDs listed under it.</summary>
internal sealed record IndexEntry(
    string Fingerprint, string Algorithm, string Bits, string Created, string Expires, string Flags, List<string> UserIds);
