using Keyserver.Core.Keys;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;

namespace Keyserver.Core.Admin;

/// <summary>How an admin action ended.</summary>
public enum AdminOutcome
{
    /// <summary>The action changed something.</summary>
    Done,

    /// <summary>There was nothing to change (already blocked, not blocked, already unpublished).</summary>
    Unchanged,

    /// <summary>The key or identity does not exist.</summary>
    NotFound,

    /// <summary>The input is not a fingerprint, address or domain.</summary>
    Invalid,
}

/// <summary>The result of an admin action: the outcome and one line for the operator.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">One line saying what happened, as written to the audit log.</param>
public sealed record AdminResult(AdminOutcome Outcome, string Message);

/// <summary>
/// What an administrator can do to keys, identities and the block list, for the command line and
/// the admin console alike. Every action is written to the audit log with its actor (an admin's
/// address, or <see cref="AuditActors.Cli"/>), also when it changes nothing.
/// </summary>
/// <param name="keys">The key store.</param>
/// <param name="policy">Block list, audit log and upload policy.</param>
/// <param name="verification">Resends confirmation mails.</param>
/// <param name="time">The clock.</param>
public sealed class AdminActions(IKeyStore keys, OperatorPolicy policy, VerificationService verification, TimeProvider time)
{
    /// <summary>
    /// Deletes a key. As for an owner's deletion (<see cref="KeyRecordBuilder.Tombstone"/>) its
    /// revocations stay and are still served, so an older copy cannot come back unrevoked; with
    /// <paramref name="purge"/> nothing stays. With <paramref name="block"/> the fingerprint is
    /// blocked in the same step and the key is removed whole, as <see cref="BlockAsync"/> does.
    /// </summary>
    public async Task<AdminResult> DeleteKeyAsync(string actor, string fingerprint, bool purge = false, bool block = false, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (BlockTarget.Fingerprint(fingerprint) is not { } target)
        {
            return new AdminResult(AdminOutcome.Invalid, "not a fingerprint (40 or 64 hex digits)");
        }

        var blocked = block && await policy.Blocks.AddAsync(new BlockEntry(target, time.GetUtcNow(), actor, reason), cancellationToken).ConfigureAwait(false);
        if (blocked)
        {
            await policy.RecordAsync(actor, AuditActions.Block, target.Value, null, "blocked", cancellationToken).ConfigureAwait(false);
        }

        purge |= block;
        var result = await RemoveKeyAsync(target.Value, purge, cancellationToken).ConfigureAwait(false);
        await policy.RecordAsync(actor, purge ? AuditActions.Purge : AuditActions.Delete, target.Value, null, result.Message, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Unpublishes the identities of a key whose user ID is exactly <paramref name="identity"/> or
    /// whose address is <paramref name="identity"/>. Pending ones become unpublished too, so no mail
    /// is sent for them again.
    /// </summary>
    public async Task<AdminResult> UnpublishAsync(string actor, string fingerprint, string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(identity);
        if (BlockTarget.Fingerprint(fingerprint) is not { } target)
        {
            return new AdminResult(AdminOutcome.Invalid, "not a fingerprint (40 or 64 hex digits)");
        }

        var address = BlockTarget.Address(identity)?.Value;
        bool Matches(IdentityRecord i) => i.State != IdentityState.Unpublished
            && (string.Equals(i.UserId, identity, StringComparison.Ordinal) || (address is not null && i.Email == address));
        var now = time.GetUtcNow();
        var changed = 0;
        var outcome = await keys.UpdateAsync(target.Value, r =>
        {
            changed = r?.Identities.Count(Matches) ?? 0;
            return r is null ? null : KeyRecordBuilder.WithStates(r, i => Matches(i) ? IdentityState.Unpublished : i.State, now);
        }, cancellationToken).ConfigureAwait(false);
        var result = outcome == WriteOutcome.Replaced
            ? new AdminResult(AdminOutcome.Done, changed == 1 ? "1 identity unpublished" : $"{changed} identities unpublished")
            : await keys.GetAsync(target.Value, cancellationToken).ConfigureAwait(false) is null
                ? new AdminResult(AdminOutcome.NotFound, "no such key")
                : new AdminResult(AdminOutcome.Unchanged, "no published or pending identity matches");
        await policy.RecordAsync(actor, AuditActions.Unpublish, target.Value, address, result.Message, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Blocks a fingerprint, an address or a domain. A blocked key is removed whole, revocations
    /// included: a blocked key is never served, and the block itself keeps an older copy out (an
    /// unblocked key comes back only by a new upload). Identities with a blocked
    /// address, or an address in a blocked domain or its subdomains, are unpublished on every key
    /// (published and pending alike, so their confirmation links stop working).
    /// </summary>
    public async Task<AdminResult> BlockAsync(string actor, BlockTarget target, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        var added = await policy.Blocks.AddAsync(new BlockEntry(target, time.GetUtcNow(), actor, reason), cancellationToken).ConfigureAwait(false);
        string effect;
        if (target.Kind == BlockKind.Fingerprint)
        {
            effect = (await RemoveKeyAsync(target.Value, purge: true, cancellationToken).ConfigureAwait(false)).Message;
        }
        else
        {
            var (identities, keyCount) = await UnpublishCoveredAsync(target, cancellationToken).ConfigureAwait(false);
            effect = $"{identities} identities on {keyCount} keys unpublished";
        }

        var result = new AdminResult(added ? AdminOutcome.Done : AdminOutcome.Unchanged, $"{(added ? "blocked" : "already blocked")} {target}; {effect}");
        await policy.RecordAsync(actor, AuditActions.Block, FingerprintOf(target), AddressOf(target), result.Message, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Lifts a block. What it deleted or unpublished stays so: a key comes back by a new upload, an identity by a new confirmation.</summary>
    public async Task<AdminResult> UnblockAsync(string actor, BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        var removed = await policy.Blocks.RemoveAsync(target, cancellationToken).ConfigureAwait(false);
        var result = removed ? new AdminResult(AdminOutcome.Done, $"unblocked {target}") : new AdminResult(AdminOutcome.Unchanged, $"{target} was not blocked");
        await policy.RecordAsync(actor, AuditActions.Unblock, FingerprintOf(target), AddressOf(target), result.Message, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Every block.</summary>
    public Task<IReadOnlyList<BlockEntry>> ListBlocksAsync(CancellationToken cancellationToken = default) => policy.Blocks.ListAsync(cancellationToken);

    /// <summary>
    /// Mails the confirmation of a pending identity again, within the same mail throttle as the
    /// owner's own resend (a throttled resend is not sent, and says nothing).
    /// </summary>
    public async Task<AdminResult> ResendConfirmationAsync(string actor, string fingerprint, string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (BlockTarget.Fingerprint(fingerprint) is not { } target || BlockTarget.Address(address) is not { } normal)
        {
            return new AdminResult(AdminOutcome.Invalid, "a fingerprint and an address are needed");
        }

        var record = await keys.GetAsync(target.Value, cancellationToken).ConfigureAwait(false);
        AdminResult result;
        if (record is null || !record.Identities.Any(i => i.Email == normal.Value && i.State == IdentityState.Pending))
        {
            result = new AdminResult(AdminOutcome.NotFound, "no pending identity with that address");
        }
        else
        {
            await verification.ResendVerificationAsync(target.Value, normal.Value, null, cancellationToken).ConfigureAwait(false);
            result = new AdminResult(AdminOutcome.Done, "confirmation queued unless throttled");
        }

        await policy.RecordAsync(actor, AuditActions.Resend, target.Value, normal.Value, result.Message, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<AdminResult> RemoveKeyAsync(string fingerprint, bool purge, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wasTombstone = false;
        var outcome = await keys.UpdateAsync(fingerprint, r =>
        {
            // A tombstone (no identity left) is what a deletion leaves: deleting it again changes nothing.
            wasTombstone = r is not null && r.Identities.Count == 0 && !purge;
            return r is null ? null : purge ? null : wasTombstone ? r : KeyRecordBuilder.Tombstone(r, now);
        }, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            WriteOutcome.Deleted => new AdminResult(AdminOutcome.Done, "key deleted"),
            WriteOutcome.Replaced => new AdminResult(AdminOutcome.Done, "key deleted, its revocation kept"),
            _ when wasTombstone => new AdminResult(AdminOutcome.Unchanged, "key already deleted, its revocation kept"),
            _ => new AdminResult(AdminOutcome.NotFound, "no such key"),
        };
    }

    private async Task<(int Identities, int Keys)> UnpublishCoveredAsync(BlockTarget target, CancellationToken cancellationToken)
    {
        // Pending identities are not in any lookup index, so this reads every key once.
        bool Covered(IdentityRecord i) => i.State != IdentityState.Unpublished && i.Email is not null && target.Covers(i.Email);
        var affected = new List<string>();
        await foreach (var record in keys.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Identities.Any(Covered))
            {
                affected.Add(record.Fingerprint);
            }
        }

        var now = time.GetUtcNow();
        var identities = 0;
        foreach (var fingerprint in affected)
        {
            var count = 0;
            await keys.UpdateAsync(fingerprint, r =>
            {
                count = r?.Identities.Count(Covered) ?? 0;
                return r is null ? null : KeyRecordBuilder.WithStates(r, i => Covered(i) ? IdentityState.Unpublished : i.State, now);
            }, cancellationToken).ConfigureAwait(false);
            identities += count;
        }

        return (identities, affected.Count);
    }

    private static string? FingerprintOf(BlockTarget target) => target.Kind == BlockKind.Fingerprint ? target.Value : null;

    private static string? AddressOf(BlockTarget target) => target.Kind == BlockKind.Fingerprint ? null : target.Value;
}
