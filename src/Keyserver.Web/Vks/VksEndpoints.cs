using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Web.Options;
using Keyserver.Web.Verification;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Vks;

/// <summary>
/// The keys.openpgp.org VKS API (spec §2.1): lookups by fingerprint, key ID and address, and JSON
/// upload and request-verify. GET errors are plain text with a status; POST errors are JSON
/// <c>{"error": "…"}</c>, as Hagrid answers them.
/// </summary>
internal static class VksEndpoints
{
    private const string KeysMediaType = "application/pgp-keys";
    private const string PlainText = "text/plain; charset=utf-8";
    private const int MaxRequestedAddresses = 100;

    public static IEndpointRouteBuilder MapVks(this IEndpointRouteBuilder app)
    {
        var vks = app.MapGroup("/vks/v1");
        string[] get = [HttpMethods.Get, HttpMethods.Head];
        vks.MapMethods("/by-fingerprint/{fingerprint}", get, (HttpContext context, string fingerprint, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct) =>
            IsHex(fingerprint, 40) || IsHex(fingerprint, 64)
                ? LookupAsync(context, store, search.Value.MaxResults, new KeyQuery.ByFingerprint(fingerprint.ToUpperInvariant()), ct)
                : Task.FromResult(Text("Invalid fingerprint: expected 40 or 64 hex digits without 0x.", StatusCodes.Status400BadRequest)));
        vks.MapMethods("/by-keyid/{keyId}", get, (HttpContext context, string keyId, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct) =>
            IsHex(keyId, 16)
                ? LookupAsync(context, store, search.Value.MaxResults, new KeyQuery.ByKeyId(keyId.ToUpperInvariant()), ct)
                : Task.FromResult(Text("Invalid key ID: expected 16 hex digits without 0x.", StatusCodes.Status400BadRequest)));
        vks.MapMethods("/by-email/{address}", get, (HttpContext context, string address, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct) =>
            VerificationService.NormaliseAddress(address) is { } normal
                ? LookupAsync(context, store, search.Value.MaxResults, new KeyQuery.ByEmail(normal), ct)
                : Task.FromResult(Text("Invalid e-mail address.", StatusCodes.Status400BadRequest)));
        vks.MapPost("/upload", UploadAsync).RequireRateLimiting(UploadRateLimit.Policy);
        vks.MapPost("/request-verify", RequestVerifyAsync).RequireRateLimiting(UploadRateLimit.Policy);
        return app;
    }

    // Hagrid serves one key per address; here an address may be on several keys, and all published ones are served.
    private static async Task<IResult> LookupAsync(HttpContext context, IKeyStore store, int limit, KeyQuery query, CancellationToken ct)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        var page = await store.FindAsync(query, 0, limit, ct);
        var keys = page.Keys.Where(k => k.Published is not null).ToList();
        return keys switch
        {
            [] => Text("No key found.", StatusCodes.Status404NotFound),
            [{ PublishedArmored: { } armored }] => Results.Bytes(armored, KeysMediaType),
            _ => Results.Bytes(KeyArmor.Armor(keys.Select(k => k.Published!)), KeysMediaType),
        };
    }

    private static async Task<IResult> UploadAsync(
        HttpContext context,
        KeyIngestor ingestor,
        VerificationService verification,
        IOptions<LimitsOptions> limits,
        IOptions<PublicUrlOptions> publicUrl,
        ILoggerFactory loggerFactory,
        CancellationToken ct)
    {
        var (json, error) = await ReadJsonAsync(context.Request, limits.Value.MaxUploadBytes, publicUrl.Value.BaseUrl, ct);
        if (error is not null)
        {
            return error;
        }

        using (json)
        {
            if (!json!.RootElement.TryGetProperty("keytext", out var keytext) || keytext.ValueKind != JsonValueKind.String)
            {
                return Error("Missing \"keytext\": expected {\"keytext\": \"<armored key>\"}.");
            }

            if (Keyserver.Core.Packets.SecretKeyDetector.ContainsSecretKey(KeyBytes(keytext.GetString()!)))
            {
                return Error(Keyserver.Core.Packets.SecretKeyDetector.Message, StatusCodes.Status422UnprocessableEntity);
            }

            var report = await ingestor.IngestAsync(KeyBytes(keytext.GetString()!), new IngestOptions(), ct);
            var logger = loggerFactory.CreateLogger(typeof(VksEndpoints));
            foreach (var key in report.Keys)
            {
                logger.LogInformation("VKS upload {Fingerprint}: {Outcome}", key.Fingerprint, key.Kind);
            }

            var accepted = report.Keys
                .Where(k => k.Kind != KeyOutcomeKind.Rejected && k.Fingerprint is not null)
                .Select(k => k.Fingerprint!)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (accepted.Count == 0)
            {
                var reason = report.Keys.Select(k => k.Reason).Concat(report.Errors).FirstOrDefault(r => !string.IsNullOrEmpty(r));
                return Error("Parsing of key data failed" + (reason is null ? "." : $": {reason}"));
            }

            await verification.OnUploadAsync(report, ct);
            if (accepted.Count > 1)
            {
                // Hagrid: several keys in one upload get a plain list of fingerprints and no token.
                return Results.Json(accepted);
            }

            var status = await verification.IssueUploadStatusAsync(accepted[0], ct);
            return status is null ? Error("The key was removed while it was uploaded; try again.") : Results.Json(Answer(status));
        }
    }

    private static async Task<IResult> RequestVerifyAsync(
        HttpContext context,
        VerificationService verification,
        IOptions<PublicUrlOptions> publicUrl,
        CancellationToken ct)
    {
        // A request-verify body is a token and a few addresses: 64 KiB is plenty.
        var (json, error) = await ReadJsonAsync(context.Request, 64 * 1024, publicUrl.Value.BaseUrl, ct);
        if (error is not null)
        {
            return error;
        }

        using (json)
        {
            var root = json!.RootElement;
            if (!root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
            {
                return Error("Missing \"token\": expected {\"token\": \"…\", \"addresses\": [\"…\"]}.");
            }

            if (!root.TryGetProperty("addresses", out var addresses) || addresses.ValueKind != JsonValueKind.Array
                || addresses.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                return Error("Missing \"addresses\": expected a list of e-mail addresses.");
            }

            if (addresses.GetArrayLength() > MaxRequestedAddresses)
            {
                return Error(string.Create(CultureInfo.InvariantCulture, $"Too many addresses: at most {MaxRequestedAddresses}."));
            }

            var status = await verification.RequestVerifyAsync(
                token.GetString(), addresses.EnumerateArray().Select(a => a.GetString()).ToList(), ct);
            return status is null ? Error("Upload session expired or unknown. Please upload the key again.") : Results.Json(Answer(status));
        }
    }

    private static async Task<(JsonDocument? Json, IResult? Error)> ReadJsonAsync(HttpRequest request, int maxBytes, string baseUrl, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return (null, Error($"expected application/json data. see {baseUrl}/about/api for api documentation."));
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, Error(string.Create(CultureInfo.InvariantCulture, $"Request too large: at most {maxBytes} bytes."), StatusCodes.Status413PayloadTooLarge));
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return (null, Error(e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large." : "Incomplete request body.", e.StatusCode));
        }

        try
        {
            var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (json, null);
            }

            json.Dispose();
            return (null, Error("expected a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, Error($"malformed JSON: {e.Message}"));
        }
    }

    // keytext is armored, or the binary key in base64 (Hagrid accepts both).
    private static byte[] KeyBytes(string keytext)
    {
        if (!keytext.Contains("-----BEGIN PGP ", StringComparison.Ordinal))
        {
            var binary = new byte[keytext.Length];
            if (Convert.TryFromBase64String(keytext.Trim(), binary, out var written))
            {
                return binary[..written];
            }
        }

        return Encoding.UTF8.GetBytes(keytext);
    }

    private static UploadAnswer Answer(UploadStatus status) => new(
        status.Fingerprint,
        status.Status.ToDictionary(s => s.Key, s => s.Value.ToString().ToLowerInvariant(), StringComparer.Ordinal),
        status.Token);

    private static IResult Error(string message, int statusCode = StatusCodes.Status400BadRequest) =>
        Results.Json(new ErrorAnswer(message), statusCode: statusCode);

    private static IResult Text(string message, int statusCode) =>
        Results.Text(message + "\n", PlainText, Encoding.UTF8, statusCode);

    private static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigit);

    private sealed record UploadAnswer(
        [property: JsonPropertyName("key_fpr")] string KeyFpr,
        [property: JsonPropertyName("status")] IReadOnlyDictionary<string, string> Status,
        [property: JsonPropertyName("token")] string Token);

    private sealed record ErrorAnswer([property: JsonPropertyName("error")] string Error);
}
