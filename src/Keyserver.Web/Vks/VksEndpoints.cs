using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Packets;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Web.Http;
using Keyserver.Web.Options;
using Keyserver.Web.Verification;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Vks;

/// <summary>
/// The keys.openpgp.org VKS API (as documented on keys.openpgp.org's "about/api" page): lookups by fingerprint, key ID and address, and JSON
/// upload and request-verify. GET errors are plain text with a status; POST errors are JSON
/// <c>{"error": "…"}</c>, as Hagrid answers them.
/// </summary>
internal static class VksEndpoints
{
    private const int MaxRequestedAddresses = 100;

    public static IEndpointRouteBuilder MapVks(this IEndpointRouteBuilder app)
    {
        var vks = app.MapGroup("/vks/v1");
        string[] get = [HttpMethods.Get, HttpMethods.Head];
        vks.MapMethods("/by-fingerprint/{fingerprint}", get, (HttpContext context, string fingerprint, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct) =>
            KeyQueryParser.IsHex(fingerprint, 40) || KeyQueryParser.IsHex(fingerprint, 64)
                ? LookupAsync(context, store, search.Value.MaxResults, new KeyQuery.ByFingerprint(fingerprint), ct)
                : Task.FromResult(Text("Invalid fingerprint: expected 40 or 64 hex digits without 0x.", StatusCodes.Status400BadRequest)));
        vks.MapMethods("/by-keyid/{keyId}", get, (HttpContext context, string keyId, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct) =>
            KeyQueryParser.IsHex(keyId, 16)
                ? LookupAsync(context, store, search.Value.MaxResults, new KeyQuery.ByKeyId(keyId), ct)
                : Task.FromResult(Text("Invalid key ID: expected 16 hex digits without 0x.", StatusCodes.Status400BadRequest)));
        vks.MapMethods("/by-email/{address}", get, (HttpContext context, string address, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct) =>
            SearchText.NormaliseAddress(address) is { } normal
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
        if (context.RequestServices.GetRequiredService<LookupRateLimit>().TryAcquire(context, query) is { } refused)
        {
            return refused;
        }

        var page = await store.FindAsync(query, 0, limit, ct);
        return page.Keys switch
        {
            [] => Text("No key found.", StatusCodes.Status404NotFound),
            [{ PublishedArmored: { } armored }] => Results.Bytes(armored, MediaTypes.Keys),
            _ => Results.Bytes(KeyArmor.Armor(page.Keys.Select(k => k.Published!)), MediaTypes.Keys),
        };
    }

    private static async Task<IResult> UploadAsync(
        HttpContext context,
        KeySubmission submission,
        VerificationService verification,
        IOptions<LimitsOptions> limits,
        IOptions<PublicUrlOptions> publicUrl,
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

            var result = await submission.SubmitAsync(KeyBytes(keytext.GetString()!), SubmissionChannel.Vks, ClientNetwork.Of(context), cancellationToken: ct);
            if (result.SecretKeyRefused)
            {
                return Error(SecretKeyDetector.Message, StatusCodes.Status422UnprocessableEntity);
            }

            var report = result.Report;
            context.RequestServices.GetService<Observability.KeyserverMetrics>()?.RecordUpload(report);
            var accepted = report.Keys
                .Where(k => k.Kind != KeyOutcomeKind.Rejected && k.Fingerprint is not null)
                .DistinctBy(k => k.Fingerprint)
                .ToList();
            if (accepted.Count == 0)
            {
                var reason = report.Keys.Select(k => k.Reason).Concat(report.Errors).FirstOrDefault(r => !string.IsNullOrEmpty(r));
                return Error("Parsing of key data failed" + (reason is null ? "." : $": {reason}"));
            }

            if (accepted.Count > 1)
            {
                // Hagrid: several keys in one upload get a plain list of fingerprints and no token.
                return Results.Json(accepted.Select(k => k.Fingerprint));
            }

            var status = await verification.IssueUploadStatusAsync(accepted[0].Fingerprint!, accepted[0].Addresses, ct);
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
                token.GetString(), addresses.EnumerateArray().Select(a => a.GetString()).ToList(), ClientNetwork.Of(context), ct);
            return status is null ? Error("Upload session expired or unknown. Please upload the key again.") : Results.Json(Answer(status));
        }
    }

    private static async Task<(JsonDocument? Json, IResult? Error)> ReadJsonAsync(HttpRequest request, int maxBytes, string baseUrl, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return (null, Error($"expected application/json data. see {baseUrl}/about/api for api documentation."));
        }

        var read = await BoundedBody.ReadAsync(request, maxBytes, ct);
        if (read.Body is not { } body)
        {
            return (null, Error(read.Error!, read.StatusCode));
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
        Results.Text(message + "\n", MediaTypes.PlainText, Encoding.UTF8, statusCode);

    private sealed record UploadAnswer(
        [property: JsonPropertyName("key_fpr")] string KeyFpr,
        [property: JsonPropertyName("status")] IReadOnlyDictionary<string, string> Status,
        [property: JsonPropertyName("token")] string Token);

    private sealed record ErrorAnswer([property: JsonPropertyName("error")] string Error);
}
