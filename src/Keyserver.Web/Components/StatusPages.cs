using Microsoft.AspNetCore.Diagnostics;

namespace Keyserver.Web.Components;

/// <summary>
/// Every 404 a browser can reach gets the portal's own page in the site layout: unknown URLs, and
/// pages that found nothing (an unknown key or link). Blazor's static rendering sends a 404 without
/// a body, so the body comes from re-executing <c>/not-found</c>, which words it for the path asked.
/// </summary>
internal static class StatusPages
{
    public const string NotFoundPath = "/not-found";

    public static IApplicationBuilder UsePortalStatusPages(this IApplicationBuilder app)
    {
        // HKP and VKS answers always carry a body of their own, so they are never replaced.
        app.UseStatusCodePagesWithReExecute(NotFoundPath, createScopeForStatusCodePages: true);
        return app.Use((context, next) =>
        {
            // GET and HEAD only: a re-executed POST would reach /not-found as a form post without a form.
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            return next(context);
        });
    }
}
