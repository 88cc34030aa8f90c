using System.Security.Claims;
using Keyserver.Core.Admin;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Admin;

/// <summary>
/// The admin console's sign-in: ASP.NET Core's cookie scheme over a server-side session store
/// (<see cref="AdminTicketStore"/>), an authorization policy every admin page names, and optionally
/// ASP.NET Core's OpenID Connect handler signing into the same cookie.
/// </summary>
internal static class AdminAuth
{
    public const string CookieScheme = "AdminCookie";
    public const string OidcScheme = "AdminOidc";
    public const string Policy = "Admin";
    public const string CookieName = "keyserver-admin";
    public const string SignInPath = "/admin/signin";
    public const string OidcCallbackPath = "/admin/oidc/callback";

    /// <summary>How the admin signed in: <see cref="ByMail"/> or <see cref="ByOidc"/>.</summary>
    public const string MethodClaim = "keyserver:admin";
    public const string ByMail = "mail";
    public const string ByOidc = "oidc";

    public static IServiceCollection AddAdminConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdminTicketStore>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, AdminCookieSetup>();
        services.AddSingleton(sp =>
        {
            var admin = sp.GetRequiredService<IOptionsMonitor<AdminOptions>>();
            return new AdminSignInService(
                sp.GetRequiredService<IVerificationStore>(),
                sp.GetRequiredService<IMailOutbox>(),
                () => admin.CurrentValue.NormalisedAddresses(),
                sp.GetRequiredService<IOptions<VerificationOptions>>().Value.ToSettings(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<AdminOverview>();
        services.AddSingleton<AdminUseCases>();
        services.AddSingleton<ConsoleActivity>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleActivity>());
        services.AddHostedService<AdminSessionPurge>();

        var authentication = services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = "/admin";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.AccessDeniedPath = SignInPath;
            options.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status302Found);
            options.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });

        // The handler is registered only when configured: without an Authority it could not start.
        var oidc = configuration.GetSection(AdminOptions.Section).GetSection(nameof(AdminOptions.Oidc)).Get<AdminOidcOptions>();
        if (oidc is { Enabled: true })
        {
            authentication.AddOpenIdConnect(OidcScheme, options =>
            {
                options.SignInScheme = CookieScheme;
                options.CallbackPath = OidcCallbackPath;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.Scope.Add("email");
                options.GetClaimsFromUserInfoEndpoint = true;
                options.Events.OnTokenValidated = AdmitAsync;
            });
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IOptions<AdminOptions>>((options, admin) =>
            {
                options.Authority = admin.Value.Oidc.Authority;
                options.ClientId = admin.Value.Oidc.ClientId;
                options.ClientSecret = admin.Value.Oidc.ClientSecret;
            });
        }

        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(MethodClaim, ByMail, ByOidc)
            .RequireClaim(ClaimTypes.Email));
        return services;
    }

    /// <summary>Starts OpenID Connect sign-in (when configured) at <c>/admin/oidc</c>.</summary>
    public static IEndpointRouteBuilder MapAdminConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/oidc", async (IAuthenticationSchemeProvider schemes) =>
            await schemes.GetSchemeAsync(OidcScheme) is null
                ? Results.NotFound()
                : Results.Challenge(new AuthenticationProperties { RedirectUri = "/admin" }, [OidcScheme]));
        return app;
    }

    /// <summary>The admin's principal after a sign-in link or the identity provider vouched for <paramref name="address"/>.</summary>
    public static ClaimsPrincipal Principal(string address, string method) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Email, address), new Claim(ClaimTypes.Name, address), new Claim(MethodClaim, method)], CookieScheme));

    /// <summary>The signed-in admin's address (the actor of the audit log).</summary>
    public static string? Actor(this ClaimsPrincipal? user) => user?.FindFirstValue(ClaimTypes.Email);

    // A page a browser asks for goes to the sign-in page; a POST (or anything not GET) without a session gets 403, not a redirect.
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int browserStatus)
    {
        if (browserStatus == StatusCodes.Status302Found && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            context.Response.Redirect(SignInPath);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Task.CompletedTask;
    }

    // The provider vouched for a user; only listed addresses or members of listed groups become admins.
    private static Task AdmitAsync(TokenValidatedContext context)
    {
        var oidc = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Oidc;
        var principal = context.Principal!;
        var email = SearchText.NormaliseAddress(principal.FindFirstValue("email") ?? principal.FindFirstValue(ClaimTypes.Email));
        var verified = !string.Equals(principal.FindFirstValue("email_verified"), "false", StringComparison.OrdinalIgnoreCase);
        var byAddress = email is not null && verified
            && oidc.AllowedAddresses.Select(SearchText.NormaliseAddress).Contains(email, StringComparer.Ordinal);
        var byGroup = principal.FindAll(oidc.GroupClaim).Any(c => oidc.AllowedGroups.Contains(c.Value, StringComparer.Ordinal));
        if (email is null || !(byAddress || byGroup))
        {
            context.Fail("Not an admin of this keyserver.");
            return Task.CompletedTask;
        }

        context.Principal = Principal(email, ByOidc);
        return Task.CompletedTask;
    }
}

/// <summary>Deletes expired admin sessions every hour.</summary>
internal sealed class AdminSessionPurge(IAdminSessionStore sessions, TimeProvider time, ILogger<AdminSessionPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await sessions.PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Expired admin sessions could not be purged");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken) && !stoppingToken.IsCancellationRequested);
    }
}
