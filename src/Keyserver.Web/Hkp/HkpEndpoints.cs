using System.Globalization;
using System.Text;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Hkp;

/// <summary>The HKP surface: <c>GET /pks/lookup</c> and <c>POST /pks/add</c> (spec §1, §9).</summary>
internal static class HkpEndpoints
{
    /// <summary>HKP's registered port (§1.1), used when no Urls are configured.</summary>
    public const string DefaultUrl = "http://localhost:11371";

    private const string PlainText = "text/plain; charset=utf-8";
    private const string KeysMediaType = "application/pgp-keys";

    public static IServiceCollection AddHkp(this IServiceCollection services)
    {
        services.AddSingleton(new ServerInfo(TimeProvider.System));

        // Kestrel refuses bodies over the upload limit itself; AddRequestReader turns that into a 413 text.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>(
            (kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.MaxUploadBytes);

        services.AddUploadRateLimit();
        return services;
    }

    public static IEndpointRouteBuilder MapHkp(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/pks/lookup", [HttpMethods.Get, HttpMethods.Head], LookupAsync);
        app.MapPost("/pks/add", AddAsync).RequireRateLimiting(UploadRateLimit.Policy);
        return app;
    }

    private static async Task<IResult> LookupAsync(
        HttpContext context,
        IKeyStore store,
        IOptions<SearchOptions> searchOptions,
        TimeProvider time,
        ServerInfo server,
        CancellationToken cancellationToken)
    {
        // §1.9: lookups are fetched cross-origin by web clients (OpenPGP.js).
        context.Response.Headers.AccessControlAllowOrigin = "*";
        if (!LookupRequest.TryParse(context.Request.QueryString.Value, out var request, out var error))
        {
            return Text(error.Message, error.StatusCode);
        }

        if (request.Operation == LookupOperation.Stats)
        {
            var statistics = await store.GetStatisticsAsync(cancellationToken);
            return request.MachineReadable
                ? Results.Json(StatsPage.Document(statistics, server))
                : Results.Content(StatsPage.Render(statistics, server), "text/html; charset=utf-8");
        }

        if (!KeyQueryParser.TryParse(request.Search!, request.Exact, out var query, out var queryError))
        {
            return Text(queryError, StatusCodes.Status400BadRequest);
        }

        var options = searchOptions.Value;
        var limit = request.PageSize is { } size ? Math.Min(size, options.MaxPageSize) : options.MaxResults;
        var page = await store.FindAsync(query, request.Offset, limit, cancellationToken);
        var keys = page.Keys.Where(k => k.Published is not null).ToList();
        if (keys.Count == 0)
        {
            return Text("No keys found.", StatusCodes.Status404NotFound);
        }

        context.Response.Headers["X-HKP-Results-Count"] = page.Total.ToString(CultureInfo.InvariantCulture);
        var next = (long)request.Offset + page.Keys.Count;
        if (next < page.Total && next <= int.MaxValue)
        {
            context.Response.Headers["X-HKP-Next-Page-Token"] = PageToken.Encode((int)next);
        }

        return request.Operation switch
        {
            // The hot path: one key, served from the armor stored with it.
            LookupOperation.Get when keys.Count == 1 && keys[0].PublishedArmored is { } armored =>
                Results.Bytes(armored, KeysMediaType),
            LookupOperation.Get => Results.Bytes(KeyArmor.Armor(keys.Select(k => k.Published!)), KeysMediaType),
            _ when request.MachineReadable =>
                Results.Text(MachineReadableIndex.Write(keys, time.GetUtcNow()), PlainText, Encoding.UTF8),
            _ => Results.Content(
                IndexPage.Render(request.Search!, keys, request.Operation == LookupOperation.VerboseIndex, time.GetUtcNow()),
                "text/html; charset=utf-8"),
        };
    }

    private static async Task<IResult> AddAsync(
        HttpContext context,
        KeyIngestor ingestor,
        VerificationService verification,
        IOptions<LimitsOptions> limits,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(HkpEndpoints));
        var body = await AddRequestReader.ReadAsync(context.Request, limits.Value.MaxUploadBytes, cancellationToken);
        if (body.KeyMaterial is null)
        {
            logger.LogInformation("Upload refused with {StatusCode}: {Reason}", body.StatusCode, body.Error);
            return Text(body.Error!, body.StatusCode);
        }

        if (Keyserver.Core.Packets.SecretKeyDetector.ContainsSecretKey(body.KeyMaterial))
        {
            return Text(Keyserver.Core.Packets.SecretKeyDetector.Message, StatusCodes.Status422UnprocessableEntity);
        }

        var report = await ingestor.IngestAsync(body.KeyMaterial, new IngestOptions(), cancellationToken);
        var answer = new StringBuilder();
        foreach (var key in report.Keys)
        {
            // Fingerprint and outcome only: reasons and identities may carry e-mail addresses.
            logger.LogInformation("Upload {Fingerprint}: {Outcome}", key.Fingerprint, key.Kind);
            logger.LogDebug("Upload {Fingerprint} reason {Reason}, dropped {Dropped}", key.Fingerprint, key.Reason, key.Dropped);
            answer.Append(DescribeOutcome(key)).Append('\n');
        }

        foreach (var problem in report.Errors)
        {
            answer.Append("error: ").Append(problem).Append('\n');
        }

        // apptainer key push shows this answer to the user: say where to look for the mail.
        var mailed = await verification.OnUploadAsync(report, cancellationToken);
        if (mailed.Count > 0)
        {
            answer.Append("Verification mail sent to: ").AppendJoin(", ", mailed).Append('\n')
                .Append("The key is published once an address is confirmed.\n");
        }

        if (report.Keys.Any(k => k.Kind != KeyOutcomeKind.Rejected))
        {
            return Results.Text(answer.ToString(), PlainText, Encoding.UTF8);
        }

        logger.LogInformation("Upload held no usable key ({Keys} rejected, {Errors} errors)", report.Keys.Count, report.Errors.Count);
        if (answer.Length == 0)
        {
            answer.Append("No key material found.\n");
        }

        return Results.Text(answer.ToString(), PlainText, Encoding.UTF8, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>One answer line: fingerprint, what happened, and what the filters dropped.</summary>
    internal static string DescribeOutcome(KeyOutcome key)
    {
        var line = new StringBuilder();
        if (key.Fingerprint is not null)
        {
            line.Append(key.Fingerprint).Append(' ');
        }

        line.Append(key.Kind switch
        {
            KeyOutcomeKind.Added => "added",
            KeyOutcomeKind.Updated => "updated",
            KeyOutcomeKind.Unchanged => "unchanged",
            _ => "rejected: " + (string.IsNullOrEmpty(key.Reason) ? "not a usable public key" : key.Reason),
        });
        if (key.Dropped.Count > 0)
        {
            line.Append(" (dropped: ").AppendJoin("; ", key.Dropped).Append(')');
        }

        return line.ToString();
    }

    private static IResult Text(string message, int statusCode) =>
        Results.Text(message + "\n", PlainText, Encoding.UTF8, statusCode);
}
