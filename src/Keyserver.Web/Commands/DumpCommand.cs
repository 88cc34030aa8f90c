using Keyserver.Core.Storage;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>dump DIR</c>: writes the published view of every served key as numbered binary keyring files
/// of up to N keys each, like an sks dump. Unpublished identities and unserved keys never leave.
/// </summary>
internal sealed class DumpCommand(IKeyStore store, TextWriter output, TextWriter error)
{
    public const int DefaultKeysPerFile = 1000;

    public const string FilePattern = "keydump-*.pgp";

    public async Task<ExitCode> RunAsync(string directory, int keysPerFile, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(directory);

            // Numbered files of an older dump would mix with this one.
            if (Directory.EnumerateFiles(directory, FilePattern).Any())
            {
                await error.WriteLineAsync($"{directory}: already holds a dump ({FilePattern}); choose an empty directory.");
                return ExitCode.Failure;
            }

            var files = 0;
            var keys = 0;
            FileStream? current = null;
            try
            {
                await foreach (var record in store.ScanAsync(cancellationToken))
                {
                    if (record.Published is not { } published)
                    {
                        continue;
                    }

                    if (current is null || keys % keysPerFile == 0)
                    {
                        if (current is not null)
                        {
                            await current.DisposeAsync();
                        }

                        current = new FileStream(
                            Path.Combine(directory, $"keydump-{files:D4}.pgp"), FileMode.CreateNew, FileAccess.Write);
                        files++;
                    }

                    await current.WriteAsync(published, cancellationToken);
                    keys++;
                }
            }
            finally
            {
                if (current is not null)
                {
                    await current.DisposeAsync();
                }
            }

            await output.WriteLineAsync($"Wrote {keys} published keys to {files} files in {directory}.");
            return ExitCode.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{directory}: cannot write: {e.Message}");
            return ExitCode.Failure;
        }
    }
}
