using Keyserver.Core.Admin;
using Keyserver.Core.Keys;
using Keyserver.Core.Packets;
using Keyserver.Core.Verification;
using Microsoft.Extensions.Logging;

namespace Keyserver.Core.Ingest;

/// <summary>Where key material came from; it decides whether verification mail is sent and labels the log.</summary>
public enum SubmissionChannel
{
    /// <summary><c>POST /pks/add</c>.</summary>
    Hkp,

    /// <summary>The VKS API's <c>/vks/v1/upload</c>.</summary>
    Vks,

    /// <summary>The portal's upload page.</summary>
    Portal,

    /// <summary>
    /// The operator's bulk import: identities are published at once or stay pending, but nobody is
    /// mailed (a keyring from elsewhere would otherwise mail every address on it).
    /// </summary>
    Import,
}

/// <summary>What one submission did: the per-key outcomes and the addresses mailed for confirmation.</summary>
/// <param name="Report">One outcome per key (with its new identities) and the input-level errors.</param>
/// <param name="Mailed">Addresses a verification mail was queued for now (throttled ones are left out).</param>
/// <param name="Unconfirmable">
/// New identities that wait for a confirmation no mail can bring (no plain address, or another
/// address in the name), so that every entry point can say why they will never be published.
/// </param>
public sealed record SubmissionResult(IngestReport Report, IReadOnlyList<string> Mailed, IReadOnlyList<IdentityRecord> Unconfirmable)
{
    /// <summary>
    /// True when the material held a secret key: nothing was read further, stored or logged, and
    /// every entry point refuses it with <see cref="SecretKeyDetector.Message"/>.
    /// </summary>
    public bool SecretKeyRefused { get; init; }
}

/// <summary>
/// The one use case "accept key material", called by every entry point (HKP, VKS, the portal and
/// the import command): ingest under the publication policy, log each outcome, and queue the
/// verification mails for the identities that wait for their owner.
/// </summary>
/// <param name="ingestor">Reads, checks, merges and stores keys.</param>
/// <param name="verification">Queues verification mails.</param>
/// <param name="logger">Outcome log: fingerprints and outcomes, never identities or addresses.</param>
/// <param name="policy">The operator's block list, upload policy and audit log; null for none.</param>
public sealed partial class KeySubmission(KeyIngestor ingestor, VerificationService verification, ILogger<KeySubmission> logger, OperatorPolicy? policy = null)
{
    /// <summary>Accepts whatever a client or the operator sent (armored or binary keys, bare revocations).</summary>
    /// <param name="material">The raw key material, already bounded by the caller.</param>
    /// <param name="channel">Where it came from.</param>
    /// <param name="client">The sender's network, which spends its own mail budget; null for the operator.</param>
    /// <param name="publishAll">Publish every new identity without confirmation (the operator's import only).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<SubmissionResult> SubmitAsync(
        ReadOnlyMemory<byte> material, SubmissionChannel channel, string? client = null, bool publishAll = false, CancellationToken cancellationToken = default)
    {
        if (SecretKeyDetector.ContainsSecretKey(material))
        {
            return new SubmissionResult(new IngestReport([], [SecretKeyDetector.Message]), [], []) { SecretKeyRefused = true };
        }

        var options = new IngestOptions(PublishAll: publishAll) { Admission = policy?.ForUpload(channel) };
        var report = await ingestor.IngestAsync(material, options, cancellationToken).ConfigureAwait(false);
        if (policy is not null)
        {
            await PublishedAtOnce.ApplyAsync(policy, report, channel, cancellationToken).ConfigureAwait(false);
        }

        if (channel != SubmissionChannel.Import)
        {
            foreach (var key in report.Keys)
            {
                // Reasons and identities may carry e-mail addresses: they go to Debug only.
                LogOutcome(channel, key.Fingerprint, key.Kind);
                LogDetail(channel, key.Fingerprint, key.Reason, key.Dropped);
            }

            if (!report.AnyAccepted)
            {
                LogNothingAccepted(channel, report.Keys.Count, report.Errors.Count);
            }
        }

        var mailed = channel == SubmissionChannel.Import
            ? []
            : await verification.OnUploadAsync(report, client, cancellationToken).ConfigureAwait(false);
        var unconfirmable = report.Keys
            .SelectMany(k => k.NewIdentities)
            .Where(i => i.State == IdentityState.Pending && !VerificationService.CanBeConfirmed(i))
            .ToList();
        return new SubmissionResult(report, mailed, unconfirmable);
    }

    private readonly ILogger<KeySubmission> _logger = logger;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} upload {Fingerprint}: {Outcome}")]
    private partial void LogOutcome(SubmissionChannel channel, string? fingerprint, KeyOutcomeKind outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Channel} upload {Fingerprint} reason {Reason}, dropped {Dropped}")]
    private partial void LogDetail(SubmissionChannel channel, string? fingerprint, string? reason, IReadOnlyList<string> dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} upload held no usable key ({Keys} rejected, {Errors} input errors)")]
    private partial void LogNothingAccepted(SubmissionChannel channel, int keys, int errors);
}
