namespace Keyserver.Web.Tests.Commands;

public class DumpCommandTests
{
    private static Task<CommandRun> DumpAsync(TestStore store, string directory, int keysPerFile) =>
        CommandRun.Of((output, error) => new DumpCommand(store.Store, output, error).RunAsync(directory, keysPerFile, CancellationToken.None));

    [Fact]
    public async Task PublishedKeys_WrittenAsNumberedBinaryFilesOfUpToNKeys()
    {
        using var store = new TestStore();
        var keys = Enumerable.Range(0, 5).Select(i => TestKeys.Create($"Dump {i} <dump{i}@example.org>")).ToList();
        await store.Ingestor.IngestAsync(keys.SelectMany(k => k.Binary).ToArray(), new IngestOptions());
        using var target = new TempDirectory();
        var directory = Path.Combine(target.Path, "dump");

        var (code, output, _) = await DumpAsync(store, directory, keysPerFile: 2);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("Wrote 5 published keys to 3 files", output, StringComparison.Ordinal);
        var files = Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["keydump-0000.pgp", "keydump-0001.pgp", "keydump-0002.pgp"], files.Select(Path.GetFileName));
        var perFile = files.Select(f => TestKeys.Fingerprints(File.ReadAllBytes(f))).ToList();
        Assert.Equal([2, 2, 1], perFile.Select(f => f.Count));
        Assert.Equal(keys.Select(k => k.Fingerprint).Order(StringComparer.Ordinal), perFile.SelectMany(f => f).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnpublishedKeys_AreNotDumped()
    {
        using var store = new TestStore(PublicationMode.Email);
        var pending = TestKeys.Create("Pending <pending@example.org>");
        var published = TestKeys.Create("Published <published@example.org>");
        await store.Ingestor.IngestAsync(pending.Binary, new IngestOptions());
        await store.Ingestor.IngestAsync(published.Binary, new IngestOptions(PublishAll: true));
        using var target = new TempDirectory();

        var (code, output, _) = await DumpAsync(store, target.Path, DumpCommand.DefaultKeysPerFile);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("Wrote 1 published keys to 1 files", output, StringComparison.Ordinal);
        var dumped = File.ReadAllBytes(Path.Combine(target.Path, "keydump-0000.pgp"));
        Assert.Equal([published.Fingerprint], TestKeys.Fingerprints(dumped));
        Assert.DoesNotContain("pending@example.org", System.Text.Encoding.UTF8.GetString(dumped), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyStore_WritesNoFiles()
    {
        using var store = new TestStore();
        using var target = new TempDirectory();

        var (code, output, _) = await DumpAsync(store, target.Path, 10);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("Wrote 0 published keys to 0 files", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(target.Path));
    }

    [Fact]
    public async Task DirectoryWithEarlierDump_IsRefused()
    {
        using var store = new TestStore();
        await store.Ingestor.IngestAsync(TestKeys.Create("Old <old@example.org>").Binary, new IngestOptions());
        using var target = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(target.Path, "keydump-0000.pgp"), [1, 2, 3]);

        var (code, _, error) = await DumpAsync(store, target.Path, 10);

        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains("already holds a dump", error, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(Path.Combine(target.Path, "keydump-0000.pgp")));
    }

    [Fact]
    public async Task TargetIsAFile_FailsWithMessage()
    {
        using var store = new TestStore();
        using var target = new TempDirectory();
        var file = Path.Combine(target.Path, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");

        var (code, _, error) = await DumpAsync(store, file, 10);

        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains("cannot write", error, StringComparison.Ordinal);
    }
}
