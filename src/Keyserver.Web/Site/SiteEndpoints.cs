using System.Globalization;
using System.Text;
using Keyserver.Web.Verification;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Site;

/// <summary>
/// The files that carry the operator's settings: the accent colour as a style sheet (the CSP allows no
/// inline styles), the logo, and <c>/.well-known/security.txt</c> (RFC 9116) with the configured contact.
/// </summary>
internal static class SiteEndpoints
{
    public const string ThemePath = "/site-theme.css";
    public const string LogoPath = "/site-logo";

    public static IServiceCollection AddSite(this IServiceCollection services)
    {
        services.AddSingleton<PortalActivity>();
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiteOptions>, SiteOptionsValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapSite(this IEndpointRouteBuilder app)
    {
        app.MapGet(ThemePath, (IOptions<SiteOptions> site) =>
            Results.Text(
                site.Value.AccentColor is { Length: > 0 } accent ? $":root {{ --accent: {accent}; }}\n" : "/* Site:AccentColor is not set. */\n",
                "text/css", Encoding.UTF8));

        app.MapGet(LogoPath, (IOptions<SiteOptions> site, IHostEnvironment host) =>
            site.Value.LogoPath(host.ContentRootPath) is { } path
                ? Results.File(path, site.Value.LogoContentType)
                : Results.NotFound());

        // RFC 9116 §2.5.3 (Contact) and §2.5.5 (Expires, required; less than a year ahead is recommended).
        app.MapGet("/.well-known/security.txt", (IOptions<SiteOptions> site, IOptions<PublicUrlOptions> publicUrl, TimeProvider time) =>
        {
            if (site.Value.ContactUrl is not { Length: > 0 } contact)
            {
                return Results.Text("No security contact is configured (Site:ContactUrl).\n", "text/plain", Encoding.UTF8, StatusCodes.Status404NotFound);
            }

            var expires = time.GetUtcNow().UtcDateTime.Date.AddDays(180);
            var text = new StringBuilder()
                .Append("Contact: ").Append(contact).Append('\n')
                .Append("Expires: ").Append(expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n')
                .Append("Canonical: ").Append(publicUrl.Value.BaseUrl).Append("/.well-known/security.txt\n")
                .Append("Preferred-Languages: en\n");
            return Results.Text(text.ToString(), "text/plain", Encoding.UTF8);
        });
        return app;
    }
}

/// <summary>Checks <see cref="SiteOptions"/> at start-up; it needs the content root, where a logo file is looked for.</summary>
internal sealed class SiteOptionsValidator(IHostEnvironment host) : IValidateOptions<SiteOptions>
{
    public ValidateOptionsResult Validate(string? name, SiteOptions options) =>
        options.Problem(host.ContentRootPath) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
