using Keyserver.Core.Admin;
using Keyserver.Core.Ingest;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>import FILE... [--publish]</c>: loads keyrings (armored or binary, many keys per file) through
/// the same use case as <c>/pks/add</c>, reporting counts and every rejection with its reason.
/// Nobody is mailed: identities are published with <c>--publish</c>, else they wait for their owner.
/// </summary>
internal sealed class ImportCommand(KeySubmission submission, TextWriter output, TextWriter error, OperatorPolicy? policy = null)
{
    public async Task<ExitCode> RunAsync(IReadOnlyList<string> files, bool publish, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<KeyOutcomeKind, int>();
        var unreadable = 0;
        foreach (var file in files)
        {
            byte[] content;
            try
            {
                content = await File.ReadAllBytesAsync(file, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync($"{file}: cannot read: {e.Message}");
                unreadable++;
                continue;
            }

            var (report, _, _) = await submission.SubmitAsync(content, SubmissionChannel.Import, client: null, publish, cancellationToken);
            var counts = new Dictionary<KeyOutcomeKind, int>();
            foreach (var key in report.Keys)
            {
                counts[key.Kind] = counts.GetValueOrDefault(key.Kind) + 1;
                totals[key.Kind] = totals.GetValueOrDefault(key.Kind) + 1;
                if (key.Kind == KeyOutcomeKind.Rejected)
                {
                    await output.WriteLineAsync($"{file}: rejected {key.Fingerprint ?? "(no fingerprint)"}: {key.Reason}");
                }
            }

            foreach (var problem in report.Errors)
            {
                await output.WriteLineAsync($"{file}: error: {problem}");
            }

            await output.WriteLineAsync($"{file}: {Summary(counts)}, {report.Errors.Count} errors");
        }

        var total = $"{Summary(totals)}; {unreadable} unreadable files";
        await output.WriteLineAsync($"Total: {total}");
        if (policy is not null)
        {
            // One entry per run: a keyring of thousands of keys must not flood the log.
            await policy.RecordAsync(AuditActors.Import, AuditActions.Import, null, null, $"{files.Count} files: {total}", cancellationToken);
        }

        return unreadable == 0 ? ExitCode.Success : ExitCode.Failure;
    }

    private static string Summary(Dictionary<KeyOutcomeKind, int> counts) =>
        $"{counts.GetValueOrDefault(KeyOutcomeKind.Added)} added, {counts.GetValueOrDefault(KeyOutcomeKind.Updated)} updated, "
        + $"{counts.GetValueOrDefault(KeyOutcomeKind.Unchanged)} unchanged, {counts.GetValueOrDefault(KeyOutcomeKind.Rejected)} rejected";
}
