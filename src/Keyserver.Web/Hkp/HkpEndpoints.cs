using System.Globalization;
using System.Text;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Packets;
using Keyserver.Core.Storage;
using Keyserver.Web.Components.Hkp;
using Keyserver.Web.Http;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Hkp;

/// <summary>The HKP surface: <c>GET /pks/lookup</c> and <c>POST /pks/add</c> (draft-shaw-openpgp-hkp-00 §3 and §4, as gpg, sq and apptainer use them).</summary>
internal static class HkpEndpoints
{
    /// <summary>HKP's registered port 11371 (IANA; draft-shaw-openpgp-hkp-00 §2), used when no Urls are configured.</summary>
    public const string DefaultUrl = "http://localhost:11371";

    public static IServiceCollection AddHkp(this IServiceCollection services)
    {
        services.AddSingleton(new ServerInfo(TimeProvider.System));

        // Kestrel refuses bodies over the upload limit itself; AddRequestReader turns that into a 413 text.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>(
            (kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.MaxUploadBytes);

        services.AddUploadRateLimit();
        services.AddSingleton<LookupRateLimit>();
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
        LookupRateLimit budget,
        CancellationToken cancellationToken)
    {
        // Lookups are fetched cross-origin by web clients (OpenPGP.js).
        context.Response.Headers.AccessControlAllowOrigin = "*";
        if (!LookupRequest.TryParse(context.Request.QueryString.Value, out var request, out var error))
        {
            return Text(error.Message, error.StatusCode);
        }

        if (budget.TryAcquire(context, request.Query) is { } refused)
        {
            return refused;
        }

        if (request.Operation == LookupOperation.Stats)
        {
            var statistics = await store.GetStatisticsAsync(cancellationToken);
            return request.MachineReadable
                ? Results.Json(StatsDocument.From(statistics, server))
                : new RazorComponentResult<StatsView>(new
                {
                    Software = ServerInfo.Software + " " + server.Version,
                    Uptime = TimeSpan.FromSeconds((long)server.Uptime.TotalSeconds),
                    Statistics = statistics,
                });
        }

        var options = searchOptions.Value;
        var limit = request.PageSize is { } size ? Math.Min(size, options.MaxPageSize) : options.MaxResults;
        var page = await store.FindAsync(request.Query!, request.Offset, limit, cancellationToken);
        var keys = LegacyKeys.Servable(page.Keys);
        if (keys.Count == 0)
        {
            return Text(page.Keys.Count == 0 ? "No keys found." : LegacyKeys.OnlyV6Message, StatusCodes.Status404NotFound);
        }

        var total = page.Total - (page.Keys.Count - keys.Count);
        context.Response.Headers["X-HKP-Results-Count"] = total.ToString(CultureInfo.InvariantCulture);
        var next = (long)request.Offset + page.Keys.Count;
        if (next < page.Total && next <= int.MaxValue)
        {
            context.Response.Headers["X-HKP-Next-Page-Token"] = PageToken.Encode((int)next);
        }

        return request.Operation switch
        {
            // The hot path: one key, its armor kept with the cached record after the first time.
            LookupOperation.Get when keys.Count == 1 && keys[0].PublishedArmored is { } armored =>
                Results.Bytes(armored, MediaTypes.Keys),
            LookupOperation.Get => Results.Bytes(KeyArmor.Armor(keys.Select(k => k.Published!)), MediaTypes.Keys),
            _ when request.MachineReadable =>
                Results.Text(MachineReadableIndex.Write(keys, time.GetUtcNow()), MediaTypes.PlainText, Encoding.UTF8),
            _ => new RazorComponentResult<IndexView>(new
            {
                Search = request.Search!,
                Keys = keys,
                Verbose = request.Operation == LookupOperation.VerboseIndex,
                Now = time.GetUtcNow(),
                Total = total,
                page.TotalIsLowerBound,
            }),
        };
    }

    private static async Task<IResult> AddAsync(
        HttpContext context,
        KeySubmission submission,
        IOptions<LimitsOptions> limits,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var body = await AddRequestReader.ReadAsync(context.Request, limits.Value.MaxUploadBytes, cancellationToken);
        if (body.KeyMaterial is null)
        {
            loggerFactory.CreateLogger(typeof(HkpEndpoints)).LogInformation("Upload refused with {StatusCode}: {Reason}", body.StatusCode, body.Error);
            return Text(body.Error!, body.StatusCode);
        }

        var result = await submission.SubmitAsync(body.KeyMaterial, SubmissionChannel.Hkp, ClientNetwork.Of(context), cancellationToken: cancellationToken);
        if (result.SecretKeyRefused)
        {
            return Text(SecretKeyDetector.Message, StatusCodes.Status422UnprocessableEntity);
        }

        var (report, mailed, unconfirmable) = result;
        context.RequestServices.GetService<Observability.KeyserverMetrics>()?.RecordUpload(report);
        var answer = new StringBuilder();
        foreach (var key in report.Keys)
        {
            answer.Append(DescribeOutcome(key)).Append('\n');
        }

        foreach (var problem in report.Errors)
        {
            answer.Append("error: ").Append(problem).Append('\n');
        }

        foreach (var identity in unconfirmable)
        {
            answer.Append("not mailed, can never be published: ").Append(PrintableUserId(identity.UserId))
                .Append(identity.Email is null ? " has no plain e-mail address\n" : " names another address\n");
        }

        // apptainer key push shows this answer to the user: say where to look for the mail.
        if (mailed.Count > 0)
        {
            answer.Append("Verification mail sent to: ").AppendJoin(", ", mailed).Append('\n')
                .Append("The key is published once an address is confirmed.\n");
        }

        if (report.AnyAccepted)
        {
            return Results.Text(answer.ToString(), MediaTypes.PlainText, Encoding.UTF8);
        }

        if (answer.Length == 0)
        {
            answer.Append("No key material found.\n");
        }

        return Results.Text(answer.ToString(), MediaTypes.PlainText, Encoding.UTF8, StatusCodes.Status422UnprocessableEntity);
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

    // The uploader's own text, echoed on one line: control and format characters (newlines, bidi
    // overrides) are shown as U+FFFD, and the length is bounded.
    private static string PrintableUserId(string userId)
    {
        var printable = string.Concat(userId.Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? '\uFFFD' : c));
        return "'" + (printable.Length > 80 ? printable[..80] + "…" : printable) + "'";
    }

    private static IResult Text(string message, int statusCode) =>
        Results.Text(message + "\n", MediaTypes.PlainText, Encoding.UTF8, statusCode);
}
