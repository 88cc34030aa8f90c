using Keyserver.Bench;

namespace Keyserver.Web.Tests.Commands;

/// <summary>The import command as an operator runs it: a real process on a large keyring, stopped by a signal.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed partial class ImportProcessTests
{
    private const int Keys = 40_000;

    [Fact]
    public async Task Sigterm_DuringImport_StopsAfterKeysInFlightAndTheCountMatchesTheStore()
    {
        using var work = new TempDirectory();
        var keyring = Path.Combine(work.Path, "keys.gpg");
        var data = Path.Combine(work.Path, "data");
        await using (var file = File.Create(keyring))
        {
            var keys = new byte[Keys][];
            Parallel.For(0, Keys, i => keys[i] = SyntheticKeyring.Generate(seed: 11, i).Packets);
            foreach (var key in keys)
            {
                await file.WriteAsync(key);
            }
        }

        using var import = ServerProcess.Start(["import", keyring, "--publish"], ("Storage__DataDirectory", data));
        // Over a mebibyte in the data file and its log: the first batches of keys are written.
        var database = Path.Combine(data, LiteDbContext.DefaultFileName);
        await Eventually.TrueAsync(() => import.HasExited || SizeOf(database) + SizeOf(LiteDbContext.LogPathOf(database)) > 1 << 20, "the import's first writes");
        await import.StopAsync();

        Assert.Equal(1, import.ExitCode);
        var stopped = StoppedLine().Match(import.Output);
        Assert.True(stopped.Success, import.Output + import.Error);
        var stored = long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(stored, 1, Keys - 1);
        using var store = new LiteDbKeyStore(Path.Combine(data, LiteDbContext.DefaultFileName));
        Assert.Equal(stored, store.Counters.Keys);
        Assert.DoesNotContain("   at ", import.Error, StringComparison.Ordinal);
    }

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    [GeneratedRegex(@"^Stopped: (\d+) keys stored", RegexOptions.Multiline)]
    private static partial Regex StoppedLine();
}
