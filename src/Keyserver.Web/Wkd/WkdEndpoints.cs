using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Keyserver.Core.Wkd;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Wkd;

/// <summary>
/// The Web Key Directory (draft-koch-openpgp-webkey-service-22) of the domains in <c>Wkd:Domains</c>:
/// key lookups in the advanced and the direct form, the <c>policy</c> file, GET and HEAD. Everything
/// else under <c>/.well-known/openpgpkey/</c> is a plain-text 404, never the portal.
/// </summary>
internal static class WkdEndpoints
{
    // §3.1: the key is sent binary; clients SHOULD accept any type, the draft suggests this one.
    private const string KeyMediaType = "application/octet-stream";
    private const string PlainText = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapWkd(this IEndpointRouteBuilder app)
    {
        string[] get = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods(WkdRequest.Prefix, get, AnswerAsync);
        app.MapMethods(WkdRequest.Prefix + "/{**rest}", get, AnswerAsync);
        return app;
    }

    private static async Task<IResult> AnswerAsync(
        HttpContext context, IOptions<WkdOptions> options, IKeyStore store, IOptions<SearchOptions> search, CancellationToken ct)
    {
        // Our answers carry their own short text: the portal's 404 page must not replace them.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        // Not in the draft; what Hagrid sends, so that web clients can read the directory and every
        // answer is fetched afresh (an unpublished key must disappear).
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.CacheControl = "no-cache";

        var request = WkdRequest.Parse(context.Request.Host.Host, context.Request.Path.Value, context.Request.Query["l"], options.Value.DomainSet);
        switch (request)
        {
            case WkdRequest.Policy policy:
                // §4.5: every WKD domain MUST have a policy file; an empty one announces no update protocol.
                // dirmngr stops asking a domain for its lifetime after a failed policy fetch.
                return Results.Text($"# Web Key Directory policy of {policy.Domain}\n", PlainText);
            case WkdRequest.Key { Address: null }:
                // Without l= the address cannot be found: the store indexes addresses, not their hashes.
                return Text("No key found: this server needs the l= parameter that gpg and sq send.", StatusCodes.Status404NotFound);
            case WkdRequest.Key key:
                var query = new KeyQuery.ByEmail(key.Address!);
                if (context.RequestServices.GetRequiredService<LookupRateLimit>().TryAcquire(context, query) is { } refused)
                {
                    return refused;
                }

                var page = await store.FindAsync(query, 0, search.Value.MaxResults, ct);
                return WkdView.Answer(page.Keys, key.Domain, key.Hash) is { } answer
                    ? Results.Bytes(answer, KeyMediaType)
                    : Text("No key found.", StatusCodes.Status404NotFound);
            case WkdRequest.Invalid invalid:
                return Text(invalid.Message, StatusCodes.Status400BadRequest);
            case WkdRequest.NotFound notFound:
                return Text(notFound.Message, StatusCodes.Status404NotFound);
            default:
                throw new InvalidOperationException($"Unhandled WKD request {request}.");
        }
    }

    private static IResult Text(string message, int status) => Results.Text(message + "\n", PlainText, statusCode: status);
}
