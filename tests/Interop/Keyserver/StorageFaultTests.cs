namespace Interop.Tests.Keyserver;

/// <summary>
/// Storage faults against the real server process: a full disk (a 2 MB tmpfs), and copied database
/// files that are truncated, bit-flipped, emptied or removed.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class StorageFaultTests
{
    private static readonly Dictionary<string, string> NoPort = new() { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" };

    [Fact]
    public async Task DiskFull_Answers503WithRetryAfter_Unhealthy_NothingStored_ThenRecoversAndStopsOnSigterm()
    {
        using var mount = TmpfsMount.Create("2m");
        var dataDirectory = Path.Combine(mount.Path, "data");
        await using var server = await KeyserverProcess.StartAsync(dataDirectory);
        using var http = server.CreateClient();

        // One key stored while there is space, so reads have something to serve meanwhile.
        var first = NewKey("Before");
        using (var added = await http.AddAsync(first.Armored))
        {
            Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
        }

        var filler = Path.Combine(mount.Path, "filler");
        FillDisk(filler);

        var second = NewKey("During");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var refused = await http.AddAsync(second.Armored);
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, await refused.DescribeAsync() + server);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        using (var health = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        // A 503 stored nothing.
        using (var absent = await http.GetKeyAsync(second.Fingerprint))
        {
            Assert.True(absent.StatusCode == HttpStatusCode.NotFound, await absent.DescribeAsync());
        }

        File.Delete(filler);

        // Healthy again without a client's write: the probe itself writes once there is space.
        using (var health = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var retried = await http.AddAsync(second.Armored))
        {
            Assert.True(retried.StatusCode == HttpStatusCode.OK, await retried.DescribeAsync() + server);
        }

        foreach (var key in new[] { first, second })
        {
            using var served = await http.GetKeyAsync(key.Fingerprint);
            Assert.True(served.StatusCode == HttpStatusCode.OK, await served.DescribeAsync());
        }

        Assert.True(await server.StopAsync(), "SIGTERM did not stop the server; it had to be killed.\n" + server);
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedDatabase_StartRefusedWithOneLineNamingRepair()
    {
        using var store = await StoreWithKeysAsync();
        var dataDirectory = store.Path;
        var path = Path.Combine(dataDirectory, LiteDbContext.DefaultFileName);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(file.Length / 2 + 100);
        }

        await AssertStartRefusedAsync(dataDirectory, "damaged");
    }

    [Fact]
    public async Task BitFlips_StartRefused_CheckReportsDamage_RepairLetsTheServerStart()
    {
        using var store = await StoreWithKeysAsync();
        var dataDirectory = store.Path;
        var path = Path.Combine(dataDirectory, LiteDbContext.DefaultFileName);
        var bytes = await File.ReadAllBytesAsync(path);

        // Every page after the header (8 KiB pages) gets its page-type byte and a run of its
        // body flipped: the index, data and collection pages LiteDB reads at start-up.
        for (var page = 8192; page + 8192 <= bytes.Length; page += 8192)
        {
            bytes[page + 4] ^= 0x5A;
            for (var i = page + 64; i < page + 96; i++)
            {
                bytes[i] ^= 0xFF;
            }
        }

        await File.WriteAllBytesAsync(path, bytes);

        await AssertStartRefusedAsync(dataDirectory, "damaged");

        var check = await KeyserverProcess.RunCommandAsync(dataDirectory, ["check"]);
        Assert.True(check.ExitCode == 4, check.ToString());
        Assert.Contains("repair", check.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", check.StandardError, StringComparison.Ordinal);

        var repair = await KeyserverProcess.RunCommandAsync(dataDirectory, ["repair"]);
        Assert.DoesNotContain("   at ", repair.StandardError, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(dataDirectory, LiteDbContext.DefaultFileName + ".damaged-*"), f => !f.EndsWith("-log", StringComparison.Ordinal));
        if (repair.ExitCode == 0)
        {
            // What could be salvaged is served again; the server answers, never 500.
            await using var server = await KeyserverProcess.StartAsync(dataDirectory);
            using var http = server.CreateClient();
            using var stats = await http.GetAsync(new Uri("pks/lookup?op=stats", UriKind.Relative));
            Assert.True(stats.StatusCode == HttpStatusCode.OK, await stats.DescribeAsync());
            using var upload = await http.AddAsync(NewKey("After repair").Armored);
            Assert.True(upload.StatusCode == HttpStatusCode.OK, await upload.DescribeAsync());
        }
        else
        {
            Assert.True(repair.ExitCode == 4, repair.ToString());
            Assert.Contains("restore it from a backup", repair.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EmptyDatabaseFile_StartRefused()
    {
        using var store = await StoreWithKeysAsync();
        var dataDirectory = store.Path;
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName), []);

        await AssertStartRefusedAsync(dataDirectory, "empty (0 bytes)");
    }

    [Fact]
    public async Task MissingDatabaseFileBesideItsLockFile_StartRefused()
    {
        using var store = await StoreWithKeysAsync();
        var dataDirectory = store.Path;
        File.Delete(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));

        await AssertStartRefusedAsync(dataDirectory, "is missing");
    }

    [Fact]
    public async Task Check_SoundDatabase_ExitsZero()
    {
        using var store = await StoreWithKeysAsync();
        var dataDirectory = store.Path;
        var check = await KeyserverProcess.RunCommandAsync(dataDirectory, ["check"]);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("no damage found", check.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> AssertStartRefusedAsync(string dataDirectory, string expected)
    {
        // No arguments: the web host itself starts (on port 0 should it get that far).
        var result = await KeyserverProcess.RunCommandAsync(dataDirectory, [], NoPort, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode is not 0 and not 134, result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName), lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        return result;
    }

    /// <summary>A data directory holding a few uploaded keys, written by a server that was stopped gracefully.</summary>
    private static async Task<TempDirectory> StoreWithKeysAsync()
    {
        var store = new TempDirectory("ks-damage-");
        try
        {
            await using var server = await KeyserverProcess.StartAsync(store.Path);
            using var http = server.CreateClient();
            for (var i = 0; i < 5; i++)
            {
                using var added = await http.AddAsync(NewKey($"Key {i}").Armored);
                Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
            }

            Assert.True(await server.StopAsync(), server.ToString());
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static (string Fingerprint, string Armored) NewKey(string name)
    {
        var ring = TestKeys.Certificate(TestKeys.NewKeyPair(), $"{name} <{Guid.NewGuid():N}@example.org>");
        return (TestKeys.Fingerprint(ring.GetPublicKey()), TestKeys.Armor(ring.GetEncoded()));
    }

    private static void FillDisk(string path)
    {
        // Unbuffered writes: the one that hits ENOSPC fails here, not later in a flush.
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        long offset = 0;
        foreach (var size in new[] { 64 * 1024, 4096, 512 })
        {
            var block = new byte[size];
            try
            {
                while (true)
                {
                    RandomAccess.Write(handle, block, offset);
                    offset += size;
                }
            }
            catch (IOException)
            {
                // ENOSPC at this block size; smaller blocks take what is left.
            }
        }
    }
}
