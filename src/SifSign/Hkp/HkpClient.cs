using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Keys;

namespace SifSign.Hkp;

/// <summary>
/// The HKP requests Apptainer's key client makes (Apptainer's internal/pkg/sypgp; draft-shaw-openpgp-hkp §3): <c>op=get</c> by key ID
/// or fingerprint, <c>op=index&amp;options=mr</c> searches, and <c>POST /pks/add</c>.
/// </summary>
public sealed class HkpClient
{
    /// <summary>The largest answer read from a keyserver; more is refused, not buffered.</summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    private const int PageSize = 256;
    private const int MaxPages = 16;

    private readonly HttpClient httpClient;

    /// <summary>Creates a client for the keyserver at <paramref name="baseAddress"/> (see <see cref="KeyserverAddress"/>).</summary>
    public HkpClient(HttpClient httpClient, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseAddress);
        this.httpClient = httpClient;
        BaseAddress = baseAddress;
    }

    /// <summary>The keyserver's HTTP base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Fetches the public keys whose primary key or subkey matches <paramref name="handle"/>
    /// (8, 16 or 40 hex digits). Keys that do not match, and any secret key, are dropped.
    /// </summary>
    /// <returns>The matching keys; empty when the keyserver has none (404).</returns>
    /// <exception cref="HkpException">The keyserver is unreachable, failed, or sent something that is not a key.</exception>
    public async Task<IReadOnlyList<PgpPublicKeyRing>> GetKeysAsync(string handle, CancellationToken cancellationToken)
    {
        var normalized = KeyIdentity.NormalizeKeyHandle(handle)
            ?? throw new ArgumentException($"'{handle}' is not a key ID or fingerprint", nameof(handle));
        var query = "exact=on&op=get&search=0x" + normalized.ToLowerInvariant();
        var (status, body, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Lookup(query)), cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound)
        {
            return [];
        }

        EnsureSuccess(status, body);
        KeyFileContents contents;
        using (var stream = new MemoryStream(body))
        {
            contents = KeyFile.Read(stream, "the keyserver answer");
        }

        return contents.PublicKeys
            .Where(ring => ring.GetPublicKeys().Any(key => KeyIdentity.Matches(key, normalized)))
            .ToArray();
    }

    /// <summary>
    /// Searches the keyserver index. A term of 8 or more upper-case hex digits is sent as a key ID
    /// (<c>0x</c> prefix), as Apptainer does; pages announced by <c>X-HKP-Next-Page-Token</c> are followed.
    /// </summary>
    /// <returns>The keys found; empty when none matched (404).</returns>
    /// <exception cref="HkpException">The keyserver is unreachable, failed, or sent a malformed index.</exception>
    public async Task<IReadOnlyList<IndexEntry>> SearchAsync(string term, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(term);
        var search = term.Length >= 8 && term.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'F')) ? "0x" + term : term;
        var results = new List<IndexEntry>();
        string? pageToken = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = "fingerprint=on&op=index&options=mr&search=" + Uri.EscapeDataString(search)
                + "&x-pagesize=" + PageSize.ToString(CultureInfo.InvariantCulture)
                + (pageToken is null ? string.Empty : "&x-pagetoken=" + Uri.EscapeDataString(pageToken));
            var (status, body, nextToken) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Lookup(query)), cancellationToken).ConfigureAwait(false);
            if (status == HttpStatusCode.NotFound)
            {
                break;
            }

            EnsureSuccess(status, body);
            results.AddRange(MachineReadableIndex.Parse(Encoding.UTF8.GetString(body)));
            if (string.IsNullOrEmpty(nextToken) || nextToken == pageToken)
            {
                break;
            }

            pageToken = nextToken;
        }

        return results;
    }

    /// <summary>Uploads a public key (<c>POST /pks/add</c>, form field <c>keytext</c>).</summary>
    /// <returns>The keyserver's response text (may be empty).</returns>
    /// <exception cref="HkpException">The keyserver is unreachable or refused the key.</exception>
    public async Task<string> PushAsync(PgpPublicKeyRing key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var armored = Encoding.ASCII.GetString(KeyFile.Encode([key], armor: true));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "pks/add"))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("keytext", armored)]),
        };
        var (status, body, _) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(status, body);
        return Encoding.UTF8.GetString(body).Trim();
    }

    private Uri Lookup(string query) => new(BaseAddress, "pks/lookup?" + query);

    private async Task<(HttpStatusCode Status, byte[] Body, string? NextPageToken)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                var body = await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
                var token = response.Headers.TryGetValues("X-HKP-Next-Page-Token", out var values) ? values.FirstOrDefault() : null;
                return (response.StatusCode, body, token);
            }
            catch (HttpRequestException e)
            {
                throw new HkpException($"cannot reach keyserver {BaseAddress}: {e.Message}", e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HkpException($"keyserver {BaseAddress} did not answer in time", e);
            }
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new HkpException($"keyserver answer is larger than {MaxResponseBytes / (1024 * 1024)} MiB");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new HkpException($"keyserver answer is larger than {MaxResponseBytes / (1024 * 1024)} MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private void EnsureSuccess(HttpStatusCode status, byte[] body)
    {
        var code = (int)status;
        if (code is >= 200 and < 300)
        {
            return;
        }

        var detail = ErrorDetail(body);
        var reason = status switch
        {
            HttpStatusCode.Unauthorized => "unauthorized or missing token",
            HttpStatusCode.NotFound => "no matching keys found",
            _ => $"HTTP {code} {status}",
        };
        throw new HkpException(
            $"keyserver {BaseAddress} answered: {reason}" + (detail.Length > 0 ? $": {detail}" : string.Empty),
            status);
    }

    private static string ErrorDetail(byte[] body)
    {
        if (body.Length == 0)
        {
            return string.Empty;
        }

        // Sylabs-style JSON errors, as Apptainer's key client reads them.
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return Clean(message.GetString() ?? string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the plain text.
        }

        return Clean(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 4096)));
    }

    private static string Clean(string text)
    {
        var flat = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
