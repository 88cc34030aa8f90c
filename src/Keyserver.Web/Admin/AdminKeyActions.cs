using Keyserver.Core.Keys;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;

namespace Keyserver.Web.Admin;

/// <summary>
/// What an admin does to one key from its page that no owner use case covers: resend or cancel a
/// pending confirmation. Delete, block and unpublish go through the upload policy's admin use cases.
/// </summary>
internal sealed class AdminKeyActions(IKeyStore keys, VerificationService verification, IMailQueueAdmin mailQueue, TimeProvider time)
{
    /// <summary>Queues a new confirmation mail for a pending address (the mail budgets apply as to any resend).</summary>
    public Task ResendAsync(string fingerprint, string address, CancellationToken cancellationToken = default) =>
        verification.ResendVerificationAsync(fingerprint, address, client: null, cancellationToken);

    /// <summary>
    /// Stops a pending confirmation: the pending identities of <paramref name="address"/> become
    /// unpublished (no more mails for them) and confirmation mails still queued for them are dropped.
    /// A link already delivered still lets the owner publish: that is the owner's own consent.
    /// </summary>
    /// <returns>True when an identity was pending.</returns>
    public async Task<bool> CancelPendingAsync(string fingerprint, string address, CancellationToken cancellationToken = default)
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

        return outcome == WriteOutcome.Replaced;
    }
}
