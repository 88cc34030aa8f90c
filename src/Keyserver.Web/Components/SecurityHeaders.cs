namespace Keyserver.Web.Components;

/// <summary>The portal's security headers, set on every response (harmless for HKP clients).</summary>
internal static class SecurityHeaders
{
    // site.css comes from this host; nothing inline, no CDN, no script at all.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Verification and manage tokens travel in URLs: never leak them to other sites.
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
}
