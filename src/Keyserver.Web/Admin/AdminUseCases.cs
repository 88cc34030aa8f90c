using Keyserver.Core.Admin;
using Keyserver.Core.Verification;

namespace Keyserver.Web.Admin;

/// <summary>
/// The console's side of <see cref="AdminActions"/> (the use cases the command line shares, each
/// audited with the signed-in admin as actor): one line for the page to show, and the one action
/// only the console has, cancelling a pending confirmation.
/// </summary>
internal sealed class AdminUseCases(AdminActions actions, IMailQueueAdmin mailQueue)
{
    public async Task<string> UnpublishAsync(string actor, string fingerprint, string userId, CancellationToken cancellationToken = default) =>
        Line(await actions.UnpublishAsync(actor, fingerprint, userId, cancellationToken));

    public async Task<string> DeleteAsync(string actor, string fingerprint, bool block, CancellationToken cancellationToken = default) =>
        Line(await actions.DeleteKeyAsync(actor, fingerprint, block: block, reason: block ? "deleted in the admin console" : null, cancellationToken: cancellationToken));

    /// <summary>Blocks a fingerprint, address or domain given as text (the kind is read from its shape).</summary>
    public async Task<(bool Valid, string Line)> BlockAsync(string actor, string? text, string? reason, CancellationToken cancellationToken = default) =>
        BlockTarget.Parse(text) is { } target
            ? (true, Line(await actions.BlockAsync(actor, target, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), cancellationToken)))
            : (false, "Not a fingerprint (40 or 64 hex digits), an e-mail address or a domain name.");

    public async Task<string> UnblockAsync(string actor, BlockTarget target, CancellationToken cancellationToken = default) =>
        Line(await actions.UnblockAsync(actor, target, cancellationToken));

    public async Task<string> ResendAsync(string actor, string fingerprint, string address, CancellationToken cancellationToken = default) =>
        Line(await actions.ResendConfirmationAsync(actor, fingerprint, address, cancellationToken));

    /// <summary>
    /// Stops a pending confirmation: the identities of <paramref name="address"/> become unpublished
    /// (their links stop working, no more mails) and confirmation mails still queued for them are dropped.
    /// </summary>
    public async Task<string> CancelPendingAsync(string actor, string fingerprint, string address, CancellationToken cancellationToken = default)
    {
        var result = await actions.UnpublishAsync(actor, fingerprint, address, cancellationToken);
        var dropped = 0;
        foreach (var entry in await mailQueue.ListAsync(int.MaxValue, cancellationToken))
        {
            if (entry is { Kind: MailKind.Verify } && string.Equals(entry.Fingerprint, fingerprint, StringComparison.OrdinalIgnoreCase) && entry.To == address
                && await mailQueue.DropAsync(entry.Id, cancellationToken))
            {
                dropped++;
            }
        }

        return Line(result) + (dropped > 0 ? $"; {dropped} queued confirmation mail(s) dropped." : "");
    }

    private static string Line(AdminResult result) => result.Outcome switch
    {
        AdminOutcome.Done => $"Done: {result.Message}.",
        AdminOutcome.Unchanged => $"Nothing to change: {result.Message}.",
        AdminOutcome.NotFound => $"Not found: {result.Message}.",
        _ => $"Refused: {result.Message}.",
    };
}
