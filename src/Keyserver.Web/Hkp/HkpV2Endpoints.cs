using System.Text;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Packets;
using Keyserver.Core.Storage;
using Keyserver.Web.Http;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Keyserver.Web.Hkp;

/// <summary>
/// HKP v2, <c>/pks/v2/</c> (draft-ietf-openpgp-hkp-01): certificate lookups by identity, versioned
/// fingerprint and key ID, the JSON index, and submission through the same use case as every other
/// upload path. v6 certificates (RFC 9580) are served here, never through legacy <c>/pks/lookup</c>.
/// docs/hkp.md says which source each behaviour follows.
/// </summary>
internal static class HkpV2Endpoints
{
    /// <summary>The unparameterised binary type of -01 (-10 named <c>application/pgp-keys;armor=no</c>).</summary>
    public const string BinaryMediaType = "application/pgp";

    /// <summary>What a submission may carry (§5.2.4, §5.2.5), as OPTIONS advertises it.</summary>
    public const string AcceptedMediaTypes = "application/pgp, application/pgp-keys;armor=no, multipart/form-data";

    public static IEndpointRouteBuilder MapHkpV2(this IEndpointRouteBuilder app)
    {
        app.MapPost(HkpV2Request.Prefix + "/certs", SubmitAsync).RequireRateLimiting(UploadRateLimit.Policy);
        app.Map(HkpV2Request.Prefix + "/{**rest}", LookupAsync);
        return app;
    }

    private static async Task<IResult> LookupAsync(
        HttpContext context, IKeyStore store, IOptions<SearchOptions> search, IOptions<VerificationOptions> verification, TimeProvider time, CancellationToken ct)
    {
        var request = Parse(context);
        switch (request.Operation)
        {
            case HkpV2Operation.Options:
                context.Response.Headers.Allow = request.Allow;
                context.Response.Headers.AccessControlAllowMethods = request.Allow;
                context.Response.Headers.AccessControlAllowHeaders = "Content-Type";
                if (request.Allow!.Contains("POST", StringComparison.Ordinal))
                {
                    context.Response.Headers.Accept = AcceptedMediaTypes;
                }

                return Results.Ok();
            case HkpV2Operation.Certificates or HkpV2Operation.Index:
                break;
            default:
                return Refused(context, request);
        }

        if (context.RequestServices.GetRequiredService<LookupRateLimit>().TryAcquire(context, request.Query) is { } refused)
        {
            return refused;
        }

        // §5.1.1, §5.1.5: the answer is bounded (Search:MaxResults keys).
        var page = await store.FindAsync(request.Query!, 0, search.Value.MaxResults, ct);
        var keys = page.Keys
            .Where(k => k.Version <= request.MaxKeyVersion && (request.KeyVersion is not { } version || k.Version == version))
            .ToList();
        if (keys.Count == 0)
        {
            return Text("No certificate found.", StatusCodes.Status404NotFound);
        }

        if (request.Operation == HkpV2Operation.Index)
        {
            var confidence = verification.Value.ToPublicationMode() == PublicationMode.Email ? HkpV2Documents.ConfirmedByMail : 0;
            return Results.Json(HkpV2Documents.Index(keys, time.GetUtcNow(), confidence), HkpV2Documents.Json);
        }

        // §7.1: a binary bundle, the certificates simply concatenated.
        return keys.Count == 1
            ? Results.Bytes(keys[0].Published!, BinaryMediaType)
            : Results.Bytes(keys.SelectMany(k => k.Published!).ToArray(), BinaryMediaType);
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, KeySubmission submission, IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        Parse(context);
        // §5.2.4: a binary bundle (-01 unparameterised type, or -10's armor=no); §5.2.5: multipart with
        // a keytext part. A form-encoded body is legacy /pks/add's, not v2's.
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || mediaType.MediaType.Value is not ("application/pgp" or "application/pgp-keys" or "multipart/form-data"))
        {
            return Text("Content-Type must be " + AcceptedMediaTypes + ".", StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await AddRequestReader.ReadAsync(context.Request, limits.Value.MaxUploadBytes, ct);
        if (body.KeyMaterial is null)
        {
            // §4.2: a submission that is not well formed (empty, no keytext part) is 422; 413 stays.
            return Text(body.Error!, body.StatusCode == StatusCodes.Status400BadRequest ? StatusCodes.Status422UnprocessableEntity : body.StatusCode);
        }

        var result = await submission.SubmitAsync(body.KeyMaterial, SubmissionChannel.HkpV2, ClientNetwork.Of(context), cancellationToken: ct);
        if (result.SecretKeyRefused)
        {
            return Text(SecretKeyDetector.Message, StatusCodes.Status422UnprocessableEntity);
        }

        context.RequestServices.GetService<Observability.KeyserverMetrics>()?.RecordUpload(result.Report);
        var answer = HkpV2Documents.Submission(result.Report);
        if (!result.Report.AnyAccepted && answer.Invalid.Count == 0)
        {
            return Text(result.Report.Errors.Count > 0 ? string.Join("; ", result.Report.Errors) : "No certificate found in the body.", StatusCodes.Status422UnprocessableEntity);
        }

        return Results.Json(answer, HkpV2Documents.Json, statusCode: result.Report.AnyAccepted ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    // §7.1: every v2 answer, errors included, may be read cross-origin.
    private static HkpV2Request Parse(HttpContext context)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget is ['/', ..] target ? target : context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return HkpV2Request.Parse(context.Request.Method, query < 0 ? raw : raw[..query]);
    }

    private static IResult Refused(HttpContext context, HkpV2Request request)
    {
        if (request.Allow is not null)
        {
            context.Response.Headers.Allow = request.Allow;
        }

        return Text(request.Error!, request.StatusCode);
    }

    private static IResult Text(string message, int statusCode) => Results.Text(message + "\n", MediaTypes.PlainText, Encoding.UTF8, statusCode);
}
