using System.Security.Claims;
using Keyserver.Core.Admin;
using Keyserver.Core.Verification;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Admin;

/// <summary>
/// The cookie handler's session store: the cookie carries only a random 256-bit session key, the
/// ticket lives in <see cref="IAdminSessionStore"/> under the key's hash. Each request moves the
/// idle expiry on; signing out deletes the session, so a copied cookie dies with it.
/// </summary>
internal sealed class AdminTicketStore(IAdminSessionStore sessions, IOptionsMonitor<AdminOptions> options, TimeProvider time) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = VerificationTokens.Generate();
        var now = time.GetUtcNow();
        var actor = ticket.Principal.FindFirstValue(ClaimTypes.Email) ?? "";
        await sessions.CreateAsync(new AdminSession(
            VerificationTokens.Hash(key), actor, TicketSerializer.Default.Serialize(ticket), now, now, now + options.CurrentValue.IdleTimeout));
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = time.GetUtcNow();
        return sessions.TouchAsync(VerificationTokens.Hash(key), TicketSerializer.Default.Serialize(ticket), now, now + options.CurrentValue.IdleTimeout);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!VerificationTokens.IsWellFormed(key))
        {
            return null;
        }

        var hash = VerificationTokens.Hash(key);
        var now = time.GetUtcNow();
        if (await sessions.FindAsync(hash) is not { } session || session.Expires <= now)
        {
            return null;
        }

        var ticket = TicketSerializer.Default.Deserialize(session.Ticket);
        // An address taken off Admin:Addresses loses its sessions at once (an OIDC admin is checked by the provider).
        if (ticket is null || (ticket.Principal.FindFirstValue(AdminAuth.MethodClaim) == AdminAuth.ByMail
            && !options.CurrentValue.NormalisedAddresses().Contains(session.Actor)))
        {
            return null;
        }

        // Idle timeout: every request of the session moves its expiry on.
        return await sessions.TouchAsync(hash, session.Ticket, now, now + options.CurrentValue.IdleTimeout) ? ticket : null;
    }

    public Task RemoveAsync(string key) => sessions.DeleteAsync(VerificationTokens.Hash(key));
}

/// <summary>Gives the admin cookie its session store and its Secure flag once the options are known.</summary>
internal sealed class AdminCookieSetup(AdminTicketStore store, IOptions<Verification.PublicUrlOptions> publicUrl, IOptions<AdminOptions> admin)
    : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name != AdminAuth.CookieScheme)
        {
            return;
        }

        options.SessionStore = store;
        options.ExpireTimeSpan = admin.Value.IdleTimeout;
        options.Cookie.SecurePolicy = publicUrl.Value.PublicUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
            ? Microsoft.AspNetCore.Http.CookieSecurePolicy.Always
            : Microsoft.AspNetCore.Http.CookieSecurePolicy.None;
    }
}
