using Keyserver.Core.Keys;
using Keyserver.Core.Storage;

namespace Keyserver.Web.Admin;

/// <summary>The admin actions on a key's page, each one sentence for the page to show.</summary>
internal static class AdminUseCases
{
    public static async Task<string> UnpublishAsync(HttpContext context, string fingerprint, string userId, string actor)
    {
        var keys = context.RequestServices.GetRequiredService<IKeyStore>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        bool Target(IdentityRecord i) => i.State == IdentityState.Published && string.Equals(i.UserId, userId, StringComparison.Ordinal);
        var outcome = await keys.UpdateAsync(
            fingerprint,
            r => r is not null && r.Identities.Any(Target) ? KeyRecordBuilder.WithStates(r, i => Target(i) ? IdentityState.Unpublished : i.State, now) : r,
            context.RequestAborted);
        return outcome == WriteOutcome.Replaced ? "The identity was unpublished." : "Nothing to change: it was not published.";
    }

    public static async Task<string> DeleteAsync(HttpContext context, string fingerprint, bool block, string actor)
    {
        var keys = context.RequestServices.GetRequiredService<IKeyStore>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var outcome = await keys.UpdateAsync(fingerprint, r => r is null ? null : KeyRecordBuilder.Tombstone(r, now), context.RequestAborted);
        return outcome is WriteOutcome.Deleted or WriteOutcome.Replaced ? "The key was deleted." : "The key was already gone.";
    }
}
