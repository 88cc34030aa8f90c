using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Keyserver.Core.Admin;
using Keyserver.Core.Ingest;
using Keyserver.Web.Observability;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>import FILE... [--publish]</c>: loads keyrings (armored or binary, many keys per file) through
/// the same use case as <c>/pks/add</c>, reporting counts and every rejection with its reason.
/// Nobody is mailed: identities are published with <c>--publish</c>, else they wait for their owner.
/// </summary>
/// <remarks>
/// A file is streamed: <see cref="KeyringChunks"/> reads it in chunks of whole keys into a bounded
/// channel, and two submissions run at once (one verifying while the other writes), so memory stays
/// bounded whatever the file size. <paramref name="stop"/> (SIGINT, SIGTERM) ends the import after
/// the chunks in flight, which are written whole; the last line then says how many keys were stored.
/// </remarks>
/// <param name="progress">Where progress is drawn (a terminal), or null.</param>
/// <param name="policy">When given, the run is recorded in the audit log (one entry with its counts).</param>
/// <param name="metrics">When given (the import runs inside the server), every key is counted by outcome.</param>
internal sealed class ImportCommand(
    KeySubmission submission, TextWriter output, TextWriter error, TextWriter? progress = null, OperatorPolicy? policy = null, KeyserverMetrics? metrics = null)
{
    private const int Submitters = 2;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<KeyOutcomeKind, long> _totals = [];
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;
    private TimeSpan _lastProgress;

    public Task<ExitCode> RunAsync(IReadOnlyList<string> files, bool publish, CancellationToken cancellationToken) =>
        RunAsync(files, publish, stop: CancellationToken.None, cancellationToken);

    /// <summary>Imports <paramref name="files"/>; <paramref name="stop"/> ends it gracefully after the chunks in flight.</summary>
    public async Task<ExitCode> RunAsync(IReadOnlyList<string> files, bool publish, CancellationToken stop, CancellationToken cancellationToken)
    {
        var unreadable = 0;
        foreach (var file in files)
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync($"{file}: cannot read: {e.Message}");
                unreadable++;
                continue;
            }

            await using (stream)
            {
                try
                {
                    await ImportFileAsync(file, stream, publish, stop, cancellationToken);
                }
                catch (Exception e) when (StoreFaults.IsUnavailable(e))
                {
                    // The keys counted so far are stored; running the import again stores the rest.
                    await error.WriteLineAsync($"{file}: the store refused a write: {e.Message}");
                    unreadable++;
                }
                catch (IOException e)
                {
                    await error.WriteLineAsync($"{file}: cannot read: {e.Message}");
                    unreadable++;
                }
            }
        }

        ClearProgress();
        if (stop.IsCancellationRequested)
        {
            await output.WriteLineAsync($"Stopped: {Stored(_totals)} keys stored ({Summary(_totals)}); the rest was not read");
            return ExitCode.Failure;
        }

        var total = $"{Summary(_totals)}; {unreadable} unreadable files";
        await output.WriteLineAsync($"Total: {total}");
        if (policy is not null)
        {
            // One entry per run: a keyring of thousands of keys must not flood the log.
            await policy.RecordAsync(AuditActors.Import, AuditActions.Import, null, null, $"{files.Count} files: {total}", cancellationToken);
        }

        return unreadable == 0 ? ExitCode.Success : ExitCode.Failure;
    }

    private async Task ImportFileAsync(string file, Stream stream, bool publish, CancellationToken stop, CancellationToken cancellationToken)
    {
        var tally = new FileTally();
        var chunks = new KeyringChunks(stream);
        // Two chunks waiting per submitter: enough to keep both busy, little enough to bound memory.
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Submitters * 2) { SingleWriter = true });
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var chunk in chunks.ReadAsync(cancellationToken))
                    {
                        if (stop.IsCancellationRequested)
                        {
                            break;
                        }

                        await channel.Writer.WriteAsync(chunk, cancellationToken);
                    }
                }
                finally
                {
                    channel.Writer.TryComplete();
                }
            },
            cancellationToken);

        var submitting = Enumerable.Range(0, Submitters).Select(_ => Task.Run(
            async () =>
            {
                while (!stop.IsCancellationRequested && await channel.Reader.WaitToReadAsync(cancellationToken))
                {
                    if (stop.IsCancellationRequested || !channel.Reader.TryRead(out var chunk))
                    {
                        continue;
                    }

                    // Never cancelled by stop: a chunk taken is written whole, so the counts are exact.
                    var (report, _, _) = await submission.SubmitAsync(chunk, SubmissionChannel.Import, client: null, publish, cancellationToken);
                    Count(file, report, tally);
                }
            },
            cancellationToken)).ToList();

        try
        {
            await Task.WhenAll(submitting);
        }
        finally
        {
            // Unblocks the reader when the submitters stopped early (a stop, or a write that failed).
            channel.Writer.TryComplete();
            while (channel.Reader.TryRead(out _))
            {
            }

            try
            {
                await reading;
            }
            catch (ChannelClosedException)
            {
                // The reader had one more chunk when the submitters stopped: it is not wanted.
            }
        }

        foreach (var problem in chunks.Errors)
        {
            await output.WriteLineAsync($"{file}: error: {problem}");
        }

        ClearProgress();
        await output.WriteLineAsync($"{file}: {Summary(tally.Counts)}, {tally.Errors + chunks.Errors.Count} errors");
    }

    private void Count(string file, IngestReport report, FileTally tally)
    {
        var lines = new List<string>();
        lock (_gate)
        {
            foreach (var key in report.Keys)
            {
                metrics?.RecordImport(key.Kind, 1);
                tally.Counts[key.Kind] = tally.Counts.GetValueOrDefault(key.Kind) + 1;
                _totals[key.Kind] = _totals.GetValueOrDefault(key.Kind) + 1;
                if (key.Kind == KeyOutcomeKind.Rejected)
                {
                    lines.Add($"{file}: rejected {key.Fingerprint ?? "(no fingerprint)"}: {key.Reason}");
                }
            }

            lines.AddRange(report.Errors.Select(problem => $"{file}: error: {problem}"));
            tally.Errors += report.Errors.Count;
            _done += report.Keys.Count;
            if (progress is not null && _clock.Elapsed - _lastProgress >= ProgressEvery)
            {
                _lastProgress = _clock.Elapsed;
                var rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
                progress.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_done} keys, {rate:0} keys/s   "));
                progress.Flush();
            }

            if (lines.Count > 0)
            {
                ClearProgressLocked();
                foreach (var line in lines)
                {
                    output.WriteLine(line);
                }
            }
        }
    }

    private void ClearProgress()
    {
        lock (_gate)
        {
            ClearProgressLocked();
        }
    }

    private void ClearProgressLocked()
    {
        if (progress is not null && _lastProgress > TimeSpan.Zero)
        {
            progress.Write("\r" + new string(' ', 40) + "\r");
            progress.Flush();
        }
    }

    private static long Stored(Dictionary<KeyOutcomeKind, long> counts) =>
        counts.GetValueOrDefault(KeyOutcomeKind.Added) + counts.GetValueOrDefault(KeyOutcomeKind.Updated);

    private static string Summary(Dictionary<KeyOutcomeKind, long> counts) =>
        $"{counts.GetValueOrDefault(KeyOutcomeKind.Added)} added, {counts.GetValueOrDefault(KeyOutcomeKind.Updated)} updated, "
        + $"{counts.GetValueOrDefault(KeyOutcomeKind.Unchanged)} unchanged, {counts.GetValueOrDefault(KeyOutcomeKind.Rejected)} rejected";

    private sealed class FileTally
    {
        public Dictionary<KeyOutcomeKind, long> Counts { get; } = [];

        public int Errors { get; set; }
    }
}
