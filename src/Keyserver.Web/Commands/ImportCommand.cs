using Keyserver.Core.Admin;
using Keyserver.Core.Ingest;
using Keyserver.Web.Observability;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>import FILE... [--publish]</c>: loads keyrings (armored or binary, many keys per file) through
/// the same use case as <c>/pks/add</c>, reporting counts and every rejection with its reason.
/// Nobody is mailed: identities are published with <c>--publish</c>, else they wait for their owner.
/// A file is read in pieces of whole keys (<see cref="KeyringChunks"/>), never as a whole.
/// </summary>
internal sealed class ImportCommand(KeySubmission submission, TextWriter output, TextWriter error, OperatorPolicy? policy = null, KeyserverMetrics? metrics = null)
{
    /// <summary>About this many bytes of keys go to the use case at once.</summary>
    public const int ChunkBytes = 4 * 1024 * 1024;

    public async Task<ExitCode> RunAsync(IReadOnlyList<string> files, bool publish, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<KeyOutcomeKind, int>();
        var unreadable = 0;
        foreach (var file in files)
        {
            var counts = new Dictionary<KeyOutcomeKind, int>();
            var errors = 0;
            try
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                var empty = true;
                await foreach (var chunk in KeyringChunks.ReadAsync(stream, ChunkBytes, cancellationToken))
                {
                    empty = false;
                    errors += await SubmitAsync(file, chunk, publish, counts, totals, cancellationToken);
                }

                if (empty)
                {
                    // Said by the use case as for an empty upload: "no OpenPGP data found".
                    errors += await SubmitAsync(file, ReadOnlyMemory<byte>.Empty, publish, counts, totals, cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // InvalidDataException (a cut-off or oversized packet) is an IOException: what came before it counts.
                await error.WriteLineAsync($"{file}: cannot read: {e.Message}");
                unreadable++;
                continue;
            }
            finally
            {
                foreach (var (kind, count) in counts)
                {
                    metrics?.RecordImport(kind, count);
                }
            }

            await output.WriteLineAsync($"{file}: {Summary(counts)}, {errors} errors");
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

    private async Task<int> SubmitAsync(string file, ReadOnlyMemory<byte> chunk, bool publish, Dictionary<KeyOutcomeKind, int> counts,
        Dictionary<KeyOutcomeKind, int> totals, CancellationToken cancellationToken)
    {
        var (report, _, _) = await submission.SubmitAsync(chunk, SubmissionChannel.Import, client: null, publish, cancellationToken);
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

        return report.Errors.Count;
    }

    private static string Summary(Dictionary<KeyOutcomeKind, int> counts) =>
        $"{counts.GetValueOrDefault(KeyOutcomeKind.Added)} added, {counts.GetValueOrDefault(KeyOutcomeKind.Updated)} updated, "
        + $"{counts.GetValueOrDefault(KeyOutcomeKind.Unchanged)} unchanged, {counts.GetValueOrDefault(KeyOutcomeKind.Rejected)} rejected";
}
