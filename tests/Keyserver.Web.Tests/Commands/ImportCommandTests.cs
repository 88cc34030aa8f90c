namespace Keyserver.Web.Tests.Commands;

public class ImportCommandTests
{
    private static Task<CommandRun> ImportAsync(TestStore store, bool publish, params string[] files) =>
        CommandRun.Of((output, error) => new ImportCommand(store.Submission, output, error).RunAsync(files, publish, CancellationToken.None));

    [Fact]
    public async Task ArmoredAndBinaryFiles_ManyKeys_AllStoredWithCounts()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var keys = Enumerable.Range(0, 3).Select(i => TestKeys.Create($"Import {i} <import{i}@example.org>")).ToList();
        var armored = files.Write("two.asc", keys[0].Armored + "\n" + keys[1].Armored);
        var binary = files.Write("one.gpg", keys[2].Binary);

        var (code, output, error) = await ImportAsync(store, publish: false, armored, binary);

        Assert.Equal(ExitCode.Success, code);
        Assert.Equal("", error);
        Assert.Contains($"{armored}: 2 added, 0 updated, 0 unchanged, 0 rejected", output, StringComparison.Ordinal);
        Assert.Contains($"{binary}: 1 added, 0 updated, 0 unchanged, 0 rejected", output, StringComparison.Ordinal);
        Assert.Contains("Total: 3 added, 0 updated, 0 unchanged, 0 rejected; 0 unreadable files", output, StringComparison.Ordinal);
        foreach (var key in keys)
        {
            Assert.True((await store.Store.GetAsync(key.Fingerprint))!.IsPublished);
        }
    }

    [Fact]
    public async Task SameFileTwice_SecondTimeUnchanged()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var file = files.Write("key.asc", TestKeys.Create("Again <again@example.org>").Armored);

        await ImportAsync(store, publish: false, file);
        var (code, output, _) = await ImportAsync(store, publish: false, file);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("0 added, 0 updated, 1 unchanged, 0 rejected", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableFile_ReportedOnStderrOthersImportedExitNonZero()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var good = Path.Combine(files.Path, "good.asc");
        var key = TestKeys.Create("Good <good@example.org>");
        await File.WriteAllTextAsync(good, key.Armored);
        var missing = Path.Combine(files.Path, "missing.gpg");

        var (code, output, error) = await ImportAsync(store, publish: false, missing, good, files.Path);

        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains($"{missing}: cannot read", error, StringComparison.Ordinal);
        Assert.Contains($"{files.Path}: cannot read", error, StringComparison.Ordinal);
        Assert.Contains("2 unreadable files", output, StringComparison.Ordinal);
        Assert.NotNull(await store.Store.GetAsync(key.Fingerprint));
    }

    [Fact]
    public async Task RejectedKeysAndGarbage_EveryRejectionHasAReason()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var good = TestKeys.Create("Kept <kept@example.org>");
        var secret = TestKeys.Create("Secret <secret@example.org>");
        var file = files.Write("mixed.asc", good.Armored + "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n");
        // Secret key material refuses its whole file, as on every upload path: nothing of it is read further.
        var withSecret = files.Write("with-secret.asc", TestKeys.Create("Other <other@example.org>").Armored + secret.SecretArmored);

        var (code, output, _) = await ImportAsync(store, publish: false, file, withSecret);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains($"{file}: 1 added", output, StringComparison.Ordinal);
        Assert.Contains($"{withSecret}: error: {Keyserver.Core.Packets.SecretKeyDetector.Message}", output, StringComparison.Ordinal);
        var problems = output.Split('\n').Where(l => l.Contains(": rejected ", StringComparison.Ordinal) || l.Contains(": error: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(problems);
        Assert.All(problems, line => Assert.False(string.IsNullOrWhiteSpace(line[(line.LastIndexOf(':') + 1)..])));
        Assert.Null(await store.Store.GetAsync(secret.Fingerprint));
    }

    [Fact]
    public async Task Publish_InEmailMode_MakesIdentitiesPublished()
    {
        using var store = new TestStore(PublicationMode.Email);
        using var files = new TempDirectory();
        var pending = TestKeys.Create("Pending <pending@example.org>");
        var published = TestKeys.Create("Published <published@example.org>");
        var pendingFile = Path.Combine(files.Path, "pending.asc");
        var publishedFile = Path.Combine(files.Path, "published.asc");
        await File.WriteAllTextAsync(pendingFile, pending.Armored);
        await File.WriteAllTextAsync(publishedFile, published.Armored);

        await ImportAsync(store, publish: false, pendingFile);
        await ImportAsync(store, publish: true, publishedFile);

        Assert.False((await store.Store.GetAsync(pending.Fingerprint))!.IsPublished);
        var record = (await store.Store.GetAsync(published.Fingerprint))!;
        Assert.True(record.IsPublished);
        Assert.All(record.Identities, identity => Assert.Equal(IdentityState.Published, identity.State));
    }

    [Fact]
    public async Task EmptyFile_ReportsAnErrorNotACrash()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var file = files.Write("empty.gpg", []);

        var (code, output, _) = await ImportAsync(store, publish: false, file);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains($"{file}: error: ", output, StringComparison.Ordinal);
        Assert.Contains("0 added", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DebianKeyring_LoadsWithEveryRejectionExplained()
    {
        // Debian's real keyring (package debian-keyring; installed by CI and the Dockerfile's build stage).
        const string keyring = "/usr/share/keyrings/debian-keyring.gpg";
        using var store = new TestStore();

        var (code, output, error) = await ImportAsync(store, publish: true, keyring);

        Assert.Equal(ExitCode.Success, code);
        Assert.Equal("", error);
        var summary = Regex.Match(output, @"Total: (\d+) added, (\d+) updated, (\d+) unchanged, (\d+) rejected");
        Assert.True(summary.Success, output);
        var counts = Enumerable.Range(1, 4).Select(i => int.Parse(summary.Groups[i].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(counts.Sum(), 900, 910);
        var rejections = output.Split('\n').Where(l => l.StartsWith(keyring + ": rejected ", StringComparison.Ordinal)).ToList();
        Assert.Equal(counts[3], rejections.Count);
        Assert.All(rejections, line => Assert.Matches(@": rejected \S+: \S", line));
        Assert.Equal(counts[0], (await store.Store.GetStatisticsAsync()).Keys);
    }

    [Fact]
    public async Task ManyChunks_EveryKeyCountedOnce()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var file = Path.Combine(files.Path, "many.gpg");
        const int keys = (KeyringChunks.KeysPerChunk * 2) + 5;
        await File.WriteAllBytesAsync(file, Enumerable.Range(0, keys).SelectMany(i => Keyserver.Bench.SyntheticKeyring.Generate(3, i).Packets).ToArray());

        var (code, output, _) = await ImportAsync(store, publish: true, file);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains($"{file}: {keys} added, 0 updated, 0 unchanged, 0 rejected, 0 errors", output, StringComparison.Ordinal);
        Assert.Equal(keys, (await store.Store.GetStatisticsAsync()).PublishedKeys);
    }

    [Fact]
    public async Task StopRequested_NothingMoreRead_LastLineSaysHowManyWereStored()
    {
        using var store = new TestStore();
        using var files = new TempDirectory();
        var file = files.Write("key.gpg", TestKeys.Create("Never <never@example.org>").Binary);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        var (code, output, _) = await CommandRun.Of((stdout, stderr) =>
            new ImportCommand(store.Submission, stdout, stderr).RunAsync([file], publish: true, stop.Token, CancellationToken.None));

        Assert.Equal(ExitCode.Failure, code);
        Assert.StartsWith("Stopped: 0 keys stored", output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        Assert.Equal(0, (await store.Store.GetStatisticsAsync()).Keys);
    }
}
