using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.LiteDb.Tests;

/// <summary>
/// The write path and the start-up checks of <see cref="LiteDbContext"/> when the disk or the file
/// fails. The disk-full case against the real server is in tests/Interop (StorageFaultTests).
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("store-faults-").FullName;

    private string DatabasePath => Path.Combine(_directory, LiteDbContext.DefaultFileName);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Open_EmptyFile_RefusedInsteadOfStartingEmpty()
    {
        File.WriteAllBytes(DatabasePath, []);

        var error = Assert.Throws<StoreDamagedException>(() => new LiteDbContext(DatabasePath));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("0 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(DatabasePath).Length);
    }

    [Fact]
    public void Open_MissingFileBesideTheLockOfAnEarlierStore_Refused()
    {
        new LiteDbContext(DatabasePath).Dispose();
        File.Delete(DatabasePath);

        var error = Assert.Throws<StoreDamagedException>(() => new LiteDbContext(DatabasePath));

        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Open_DamagedPages_RefusedWithOneLineNamingRepair()
    {
        await WriteKeysAndDamagePagesAsync();

        var error = Assert.Throws<StoreDamagedException>(() => new LiteDbContext(DatabasePath));

        Assert.Contains("Keyserver.Web repair", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Open_FileLargerThan2GiB_NotTakenForTruncated()
    {
        using (var store = new LiteDbKeyStore(DatabasePath))
        {
            await store.UpdateAsync(Fingerprint(1), _ => Create(Fingerprint(1), "Alice <alice@example.org>"));
        }

        // Sparse past the last page: LiteDB reports a file of this size as a negative 32-bit length.
        using (var file = new FileStream(DatabasePath, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(5L * 1024 * 1024 * 1024 / 2);
        }

        using var reopened = new LiteDbKeyStore(DatabasePath);
        Assert.NotNull(await reopened.GetAsync(Fingerprint(1)));
    }

    [Fact]
    public async Task FullCheck_SoundFile_NoProblems_DamagedFile_Problems()
    {
        using (var store = new LiteDbKeyStore(DatabasePath))
        {
            await store.UpdateAsync(Fingerprint(1), _ => Create(Fingerprint(1), "Alice <alice@example.org>"));
        }

        Assert.Empty(StoreCheck.Full(Open));

        await WriteKeysAndDamagePagesAsync();
        Assert.NotEmpty(StoreCheck.Full(Open));
    }

    [Fact]
    public async Task Write_DiskError_ThrowsUnavailable_MarksFailing_NothingStored_ProbeClearsOnceWritable()
    {
        using var context = new LiteDbContext(DatabasePath);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => context.WriteAsync<int>(db =>
        {
            db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 1 });
            throw new IOException("No space left on device");
        }));

        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.NotNull(context.Failure);
        Assert.Equal(0, context.Read(db => db.GetCollection("other").Count()));

        // The disk here has space: the probe's own write succeeds and clears the failure.
        Assert.Null(await context.ProbeAsync());
        Assert.Null(context.Failure);
        await context.WriteAsync(db => db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 2 }));
        Assert.Equal([2], context.Read(db => db.GetCollection("other").FindAll().Select(d => d["_id"].AsInt32).ToList()));
    }

    [Fact]
    public async Task Write_CallerError_PassesThroughAndDoesNotMarkFailing()
    {
        using var context = new LiteDbContext(DatabasePath);

        await Assert.ThrowsAsync<ArgumentException>(() => context.WriteAsync<int>(_ => throw new ArgumentException("bad")));

        Assert.Null(context.Failure);
    }

    [Fact]
    public async Task Write_WriterBusyPastTheBound_ThrowsUnavailable_ThenLockIsFree()
    {
        using var context = new LiteDbContext(DatabasePath, TimeSpan.FromMilliseconds(100));
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var stuck = Task.Run(() => context.WriteAsync(db =>
        {
            started.Set();
            release.Wait();
            return db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 1 });
        }));
        started.Wait();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => context.WriteAsync(db => db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 2 })));

        release.Set();
        await stuck;
        await context.WriteAsync(db => db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 3 }));
        Assert.Equal([1, 3], context.Read(db => db.GetCollection("other").FindAll().Select(d => d["_id"].AsInt32).Order().ToList()));
    }

    [Fact]
    public async Task Write_CancelledWhileWaiting_StoresNothing()
    {
        using var context = new LiteDbContext(DatabasePath);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var stuck = Task.Run(() => context.WriteAsync(db =>
        {
            started.Set();
            release.Wait();
            return 0;
        }));
        started.Wait();
        using var cancel = new CancellationTokenSource();

        var waiting = context.WriteAsync(db => db.GetCollection("other").Insert(new BsonDocument { ["_id"] = 2 }), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.Set();
        await stuck;
        Assert.Equal(0, context.Read(db => db.GetCollection("other").Count()));
    }

    [Fact]
    public void Read_EngineError_ThrowsUnavailable_MarksFailing_NextReadReopensAndClears()
    {
        using var context = new LiteDbContext(DatabasePath);

        Assert.Throws<StoreUnavailableException>(() => context.Read<int>(_ => throw new LiteException(0, "Maximum number of transactions reached")));
        Assert.NotNull(context.Failure);

        Assert.Equal(0, context.Read(db => db.GetCollection("other").Count()));
        Assert.Null(context.Failure);
    }

    private LiteDatabase Open() => new(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct });

    private async Task WriteKeysAndDamagePagesAsync()
    {
        if (!File.Exists(DatabasePath))
        {
            using var store = new LiteDbKeyStore(DatabasePath);
            await store.UpdateAsync(Fingerprint(1), _ => Create(Fingerprint(1), "Alice <alice@example.org>"));
        }

        // Byte 4 of each 8 KiB page after the header is its page type in LiteDB 5's page header.
        var bytes = await File.ReadAllBytesAsync(DatabasePath);
        for (var page = 8192; page + 8192 <= bytes.Length; page += 8192)
        {
            bytes[page + 4] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(DatabasePath, bytes);
    }
}
