using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;

namespace Keyserver.Core.Admin;

/// <summary>
/// Identities an upload published without a confirmation (publication mode <c>None</c>, or the
/// import's <c>--publish</c>) count against <see cref="PolicySettings.MaxKeysPerAddress"/> as a
/// confirmation does.
/// </summary>
internal static class PublishedAtOnce
{
    public static async Task ApplyAsync(OperatorPolicy policy, IngestReport report, SubmissionChannel channel, CancellationToken cancellationToken)
    {
        if (policy.Settings.MaxKeysPerAddress is null)
        {
            return;
        }

        var actor = channel == SubmissionChannel.Import ? AuditActors.Import : AuditActors.Uploader;
        foreach (var key in report.Keys.Where(k => k.Kind != KeyOutcomeKind.Rejected && k.Fingerprint is not null))
        {
            foreach (var address in key.NewIdentities.Where(i => i.State == IdentityState.Published && i.Email is not null).Select(i => i.Email!).Distinct(StringComparer.Ordinal))
            {
                await policy.OnPublishedAsync(key.Fingerprint!, address, actor, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
