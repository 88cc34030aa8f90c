using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Admin;

/// <summary>
/// The operator's rules every path obeys: the block list, the upload policy and the audit log.
/// Uploads ask it through <see cref="ForUpload"/>, verification asks <see cref="MayPublishAsync"/>
/// before it mails or publishes, and every block hit is written to the audit log.
/// </summary>
/// <param name="keys">The key store (for <see cref="PolicySettings.MaxKeysPerAddress"/>).</param>
/// <param name="blocks">The block list.</param>
/// <param name="audit">The audit log.</param>
/// <param name="settings">The upload policy.</param>
/// <param name="time">The clock.</param>
public sealed class OperatorPolicy(IKeyStore keys, IBlockList blocks, IAuditLog audit, PolicySettings settings, TimeProvider time)
{
    /// <summary>What an upload of a blocked key, and a blocked identity, is answered with.</summary>
    public const string BlockedReason = "blocked by the operator";

    /// <summary>The upload policy.</summary>
    public PolicySettings Settings { get; } = settings;

    /// <summary>The audit log.</summary>
    public IAuditLog Audit { get; } = audit;

    /// <summary>The block list.</summary>
    public IBlockList Blocks { get; } = blocks;

    /// <summary>The admission of uploads that came through <paramref name="channel"/> (block hits are audited with it).</summary>
    public IKeyAdmission ForUpload(SubmissionChannel channel) => new Admission(this, channel);

    /// <summary>Appends an audit entry stamped now.</summary>
    public Task RecordAsync(string actor, string action, string? fingerprint, string? address, string outcome, CancellationToken cancellationToken = default) =>
        Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), actor, action, fingerprint, address, outcome), cancellationToken);

    /// <summary>
    /// True when identities with <paramref name="address"/> may be mailed and published: inside the
    /// policy's domains and not blocked. A blocked address is audited as a block hit.
    /// </summary>
    public async Task<bool> MayPublishAsync(string address, string actor, string? fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Settings.Allows(address))
        {
            return false;
        }

        if (await Blocks.FindAddressBlockAsync(address, cancellationToken).ConfigureAwait(false) is { } block)
        {
            await RecordAsync(actor, AuditActions.BlockHit, fingerprint, address, $"not published: {block.Target} {BlockedReason}", cancellationToken).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Applies <see cref="PolicySettings.MaxKeysPerAddress"/> after <paramref name="address"/> was
    /// published on <paramref name="fingerprint"/>: the identities with that address on the other
    /// keys published longest ago are unpublished until the limit holds. Returns their fingerprints.
    /// </summary>
    public async Task<IReadOnlyList<string>> OnPublishedAsync(string fingerprint, string address, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(address);
        if (Settings.MaxKeysPerAddress is not { } max)
        {
            return [];
        }

        var page = await keys.FindAsync(new KeyQuery.ByEmail(address), 0, MaxKeysScanned, cancellationToken).ConfigureAwait(false);
        var others = page.Keys
            .Where(k => !string.Equals(k.Fingerprint, fingerprint, StringComparison.Ordinal))
            .Select(k => (k.Fingerprint, Since: k.Identities.Where(i => i.Email == address && i.State == IdentityState.Published).Select(i => i.StateChanged).DefaultIfEmpty().Max()))
            .Where(k => k.Since != default)
            .OrderBy(k => k.Since)
            .ToList();
        var excess = others.Count + 1 - max;
        var moved = new List<string>();
        var now = time.GetUtcNow();
        foreach (var (older, _) in others.Take(Math.Max(0, excess)))
        {
            await keys.UpdateAsync(
                older,
                r => r is null ? null : KeyRecordBuilder.WithStates(r, i => i.Email == address && i.State == IdentityState.Published ? IdentityState.Unpublished : i.State, now),
                cancellationToken).ConfigureAwait(false);
            await RecordAsync(actor, AuditActions.Unpublish, older, address, $"moved to {fingerprint} (Policy:MaxKeysPerAddress = {max})", cancellationToken).ConfigureAwait(false);
            moved.Add(older);
        }

        return moved;
    }

    // An address on more keys than this is an abuse case an admin handles by hand.
    private const int MaxKeysScanned = 1000;

    private sealed class Admission(OperatorPolicy policy, SubmissionChannel channel) : IKeyAdmission
    {
        private string Actor => channel == SubmissionChannel.Import ? AuditActors.Import : AuditActors.Uploader;

        public async Task<AdmissionDecision> AdmitAsync(string fingerprint, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
        {
            if (await policy.Blocks.FindFingerprintBlockAsync(fingerprint, cancellationToken).ConfigureAwait(false) is not null)
            {
                await policy.RecordAsync(Actor, AuditActions.BlockHit, fingerprint, null, $"{Channel} upload refused: {BlockedReason}", cancellationToken).ConfigureAwait(false);
                return new AdmissionDecision(BlockedReason, new HashSet<string>(), []);
            }

            var outside = new HashSet<string>(StringComparer.Ordinal);
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var userId in userIds)
            {
                var address = SearchText.Email(userId);
                if (!policy.Settings.Allows(address))
                {
                    outside.Add(userId);
                }
                else if (address is not null && await policy.Blocks.FindAddressBlockAsync(address, cancellationToken).ConfigureAwait(false) is { } block)
                {
                    blocked.Add(userId);
                    await policy.RecordAsync(Actor, AuditActions.BlockHit, fingerprint, address, $"{Channel} upload: identity dropped, {block.Target} {BlockedReason}", cancellationToken).ConfigureAwait(false);
                }
            }

            if (outside.Count == 0 && blocked.Count == 0)
            {
                return AdmissionDecision.Accept;
            }

            if (outside.Count + blocked.Count == userIds.Count)
            {
                // Only a key that came with identities and has none left; a bare update keeps its stored ones.
                return new AdmissionDecision(outside.Count > 0 ? policy.Settings.NoIdentityReason : $"every identity is {BlockedReason}", outside, []);
            }

            var notes = new List<string>();
            if (outside.Count > 0)
            {
                notes.Add($"{Count(outside.Count)} outside {string.Join(", ", policy.Settings.Domains)}");
            }

            if (blocked.Count > 0)
            {
                notes.Add($"{Count(blocked.Count)} {BlockedReason}");
            }

            return new AdmissionDecision(null, new HashSet<string>([.. outside, .. blocked], StringComparer.Ordinal), notes);
        }

        private string Channel => channel.ToString().ToLowerInvariant();

        private static string Count(int n) => n == 1 ? "1 identity" : $"{n} identities";
    }
}
