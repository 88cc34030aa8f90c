namespace Interop.Tests.Keyserver;

/// <summary>The server dll's <c>import</c> and <c>dump</c> subcommands, with real data and gpg.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed partial class ImportCommandTests : IDisposable
{
    private const string DebianKeyring = "/usr/share/keyrings/debian-keyring.gpg";
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromMinutes(10);
    private readonly string _dataDirectory = KeyserverProcess.CreateTempDirectory("ks-import-");
    private readonly string _scratch = KeyserverProcess.CreateTempDirectory("ks-scratch-");

    [Fact]
    public async Task Import_DebianKeyringWithPublish_CountsEveryKeyAndServesOneToGpg()
    {
        var keyring = Tools.RequireFile(DebianKeyring, "debian-keyring");
        var (keys, fingerprint) = Survey(keyring);

        var import = await KeyserverProcess.RunCommandAsync(_dataDirectory, ["import", keyring, "--publish"], timeout: ImportTimeout);

        Assert.True(import.ExitCode == 0, import.ToString());
        var total = Total().Match(import.StandardOutput);
        Assert.True(total.Success, import.ToString());
        var counts = Enumerable.Range(1, 4).Select(i => int.Parse(total.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(keys, counts.Sum());
        Assert.True(counts[0] > keys / 2, import.ToString());
        // Every rejection names the key and says why.
        Assert.Equal(counts[3], Rejection().Matches(import.StandardOutput).Count);

        await using var server = await KeyserverProcess.StartAsync(_dataDirectory);
        using var gpg = GpgHome.Create(server.BaseUri);
        var received = gpg.Run("--recv-keys", fingerprint);
        Assert.True(received.ExitCode == 0, received.ToString() + server);
        Assert.Equal([fingerprint], gpg.Fingerprints());
    }

    [Fact]
    public async Task Import_MissingFile_ExitsNonZeroNamingIt()
    {
        var missing = Path.Combine(_scratch, "no-such-keyring.gpg");

        var import = await KeyserverProcess.RunCommandAsync(_dataDirectory, ["import", missing]);

        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("no-such-keyring.gpg", import.StandardError + import.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnreadableFile_ExitsNonZero()
    {
        // Tests run as root, for whom file modes do not deny reads; a directory cannot be read as a file.
        var unreadable = Directory.CreateDirectory(Path.Combine(_scratch, "keyring.gpg")).FullName;

        var import = await KeyserverProcess.RunCommandAsync(_dataDirectory, ["import", unreadable]);

        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("keyring.gpg", import.StandardError + import.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_AfterImport_WritesFilesGpgImports()
    {
        using var maker = GpgHome.Create();
        var fingerprints = Enumerable.Range(0, 3)
            .Select(i => maker.GenerateKey($"Dumped {i} <dump{i}-{Guid.NewGuid():N}@example.org>"))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var keyring = Path.Combine(_scratch, "three.gpg");
        maker.Run(["--output", keyring, "--export", .. fingerprints]).EnsureSuccess();
        (await KeyserverProcess.RunCommandAsync(_dataDirectory, ["import", keyring, "--publish"])).EnsureSuccess();
        var dumpDirectory = Path.Combine(_scratch, "dump");

        var dump = await KeyserverProcess.RunCommandAsync(_dataDirectory, ["dump", dumpDirectory]);

        Assert.True(dump.ExitCode == 0, dump.ToString());
        var files = Directory.GetFiles(dumpDirectory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        using var reader = GpgHome.Create();
        var imported = reader.Run(["--import", .. files]);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(fingerprints, reader.Fingerprints().Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        KeyserverProcess.TryDeleteDirectory(_dataDirectory);
        KeyserverProcess.TryDeleteDirectory(_scratch);
    }

    /// <summary>
    /// How many keys the keyring holds, and the first that is not revoked, does not expire and carries
    /// a user ID (gpg imports nothing without one).
    /// </summary>
    private static (int Keys, string Fingerprint) Survey(string keyring)
    {
        using var input = File.OpenRead(keyring);
        var factory = new PgpObjectFactory(input);
        var keys = 0;
        string? usable = null;
        while (factory.NextPgpObject() is { } item)
        {
            if (item is not PgpPublicKeyRing ring)
            {
                continue;
            }

            keys++;
            var key = ring.GetPublicKey();
            if (usable is null && !key.HasRevocation() && key.GetUserIds().Any() && key.GetValidSeconds() == 0)
            {
                usable = TestKeys.Fingerprint(key);
            }
        }

        return (keys, usable ?? throw new InvalidOperationException($"{keyring} holds no usable key."));
    }

    [GeneratedRegex(@"^Total: (\d+) added, (\d+) updated, (\d+) unchanged, (\d+) rejected", RegexOptions.Multiline)]
    private static partial Regex Total();

    [GeneratedRegex(@"^.+: rejected \S+: \S.*$", RegexOptions.Multiline)]
    private static partial Regex Rejection();
}
