using Keyserver.Core.Admin;
using Keyserver.Core.Keys;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;

namespace Keyserver.Web.Admin;

/// <summary>
/// What the console's pages do, each returning one sentence for the page to show, and each written
/// to the audit log with the signed-in admin as actor.
/// </summary>
internal sealed class AdminUseCases(
    IKeyStore keys, IBlockList blocks, IAuditLog audit, VerificationService verification, IMailQueueAdmin mailQueue, TimeProvider time)
{
    public async Task<string> UnpublishAsync(string actor, string fingerprint, string userId, CancellationToken cancellationToken = default)
    {
        bool Target(IdentityRecord i) => i.State == IdentityState.Published && string.Equals(i.UserId, userId, StringComparison.Ordinal);
        var now = time.GetUtcNow();
        string? address = null;
        var outcome = await keys.UpdateAsync(
            fingerprint,
            r =>
            {
                address = r?.Identities.FirstOrDefault(Target)?.Email;
                return r is not null && r.Identities.Any(Target) ? KeyRecordBuilder.WithStates(r, i => Target(i) ? IdentityState.Unpublished : i.State, now) : r;
            },
            cancellationToken);
        var done = outcome == WriteOutcome.Replaced;
        await AuditAsync(actor, AuditActions.Unpublish, fingerprint, address, done ? "done" : "nothing published", cancellationToken);
        return done ? "The identity was unpublished." : "Nothing to change: it was not published.";
    }

    public async Task<string> DeleteAsync(string actor, string fingerprint, bool block, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var outcome = await keys.UpdateAsync(fingerprint, r => r is null ? null : KeyRecordBuilder.Tombstone(r, now), cancellationToken);
        var deleted = outcome is WriteOutcome.Deleted or WriteOutcome.Replaced;
        await AuditAsync(actor, AuditActions.Delete, fingerprint, null, deleted ? "done" : "not stored", cancellationToken);
        var message = deleted ? "The key was deleted." : "The key was already gone.";
        return block ? message + " " + await BlockAsync(actor, fingerprint, "deleted by an admin", cancellationToken) : message;
    }

    /// <summary>Blocks a fingerprint, address or domain given as text (the kind is read from its shape).</summary>
    public async Task<string> BlockAsync(string actor, string? text, string? reason, CancellationToken cancellationToken = default)
    {
        if (BlockTarget.Parse(text) is not { } target)
        {
            return "Not a fingerprint (40 or 64 hex digits), an e-mail address or a domain name.";
        }

        var added = await blocks.AddAsync(new BlockEntry(target, time.GetUtcNow(), actor, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()), cancellationToken);
        await AuditAsync(actor, AuditActions.Block, target, added ? "done" : "already blocked", cancellationToken);
        return added ? $"{Describe(target)} is blocked." : $"{Describe(target)} was already blocked.";
    }

    public async Task<string> UnblockAsync(string actor, BlockTarget target, CancellationToken cancellationToken = default)
    {
        var removed = await blocks.RemoveAsync(target, cancellationToken);
        await AuditAsync(actor, AuditActions.Unblock, target, removed ? "done" : "not blocked", cancellationToken);
        return removed ? $"{Describe(target)} is no longer blocked." : $"{Describe(target)} was not blocked.";
    }

    /// <summary>Queues a new confirmation mail for a pending address (the mail budgets apply as to any resend).</summary>
    public async Task<string> ResendAsync(string actor, string fingerprint, string address, CancellationToken cancellationToken = default)
    {
        await verification.ResendVerificationAsync(fingerprint, address, client: null, cancellationToken);
        await AuditAsync(actor, AuditActions.Resend, fingerprint, address, "requested", cancellationToken);
        return $"If the mail budgets of {address} allow, a new confirmation mail is on its way.";
    }

    /// <summary>
    /// Stops a pending confirmation: the pending identities of <paramref name="address"/> become
    /// unpublished (no more mails for them) and confirmation mails still queued for them are dropped.
    /// A link already delivered still lets the owner publish: that is the owner's own consent.
    /// </summary>
    public async Task<string> CancelPendingAsync(string actor, string fingerprint, string address, CancellationToken cancellationToken = default)
    {
        bool Target(IdentityRecord i) => i.State == IdentityState.Pending && i.Email == address;
        var now = time.GetUtcNow();
        var outcome = await keys.UpdateAsync(
            fingerprint,
            r => r is not null && r.Identities.Any(Target) ? KeyRecordBuilder.WithStates(r, i => Target(i) ? IdentityState.Unpublished : i.State, now) : r,
            cancellationToken);
        foreach (var entry in await mailQueue.ListAsync(int.MaxValue, cancellationToken))
        {
            if (entry is { Kind: MailKind.Verify } && entry.Fingerprint == fingerprint && entry.To == address)
            {
                await mailQueue.DropAsync(entry.Id, cancellationToken);
            }
        }

        var done = outcome == WriteOutcome.Replaced;
        await AuditAsync(actor, AuditActions.Cancel, fingerprint, address, done ? "done" : "nothing pending", cancellationToken);
        return done ? $"The confirmation of {address} was cancelled." : "Nothing was waiting for confirmation.";
    }

    public static string Describe(BlockTarget target) => target.Kind switch
    {
        BlockKind.Fingerprint => $"Fingerprint {target.Value}",
        BlockKind.Address => $"Address {target.Value}",
        _ => $"Domain {target.Value}",
    };

    private Task AuditAsync(string actor, string action, BlockTarget target, string outcome, CancellationToken cancellationToken) =>
        AuditAsync(actor, action, target.Kind == BlockKind.Fingerprint ? target.Value : null, target.Kind == BlockKind.Fingerprint ? null : target.Value, outcome, cancellationToken);

    private Task AuditAsync(string actor, string action, string? fingerprint, string? address, string outcome, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(time.GetUtcNow(), actor, action, fingerprint, address, outcome), cancellationToken);
}
