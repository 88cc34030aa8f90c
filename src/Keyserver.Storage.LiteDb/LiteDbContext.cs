using LiteDB;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// The one open LiteDB data file of the server and the single writer that changes it. Every store
/// kept in this file (keys, verification tokens and throttle, the mail outbox) shares this context, so
/// all writes go through <see cref="WriteAsync{T}"/> and get the same atomicity and durability.
/// </summary>
public sealed class LiteDbContext : IDisposable
{
    /// <summary>The file name used inside a data directory.</summary>
    public const string DefaultFileName = "keyserver.db";

    /// <summary>The schema this code writes; stored in the file's user version.</summary>
    internal const int SchemaVersion = 1;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _logPath;
    private readonly FileStream _ownership;
    private int _keyStores;
    private bool _disposed;

    /// <summary>
    /// Opens (or creates) the database file at <paramref name="databasePath"/>, creating its directory.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened: unreadable, corrupt, locked or from a newer version.</exception>
    public LiteDbContext(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _logPath = Path.Combine(
            Path.GetDirectoryName(DatabasePath)!,
            Path.GetFileNameWithoutExtension(DatabasePath) + "-log" + Path.GetExtension(DatabasePath));
        _ownership = TakeOwnership(DatabasePath);
        try
        {
            Database = Open(DatabasePath);
        }
        catch
        {
            _ownership.Dispose();
            throw;
        }
    }

    /// <summary>Absolute path of the data file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// The open database. Read from it freely (LiteDB reads are thread-safe and run beside the
    /// writer); change it only inside <see cref="WriteAsync{T}"/>.
    /// </summary>
    public LiteDatabase Database { get; }

    /// <summary>
    /// Runs <paramref name="work"/> as the only writer, inside one transaction that is committed and
    /// flushed to stable storage before the returned task completes. If <paramref name="work"/>
    /// throws, the transaction is rolled back and nothing is written.
    /// </summary>
    /// <remarks>
    /// <paramref name="work"/> runs synchronously on one thread: LiteDB binds a transaction to the
    /// thread that began it, so it must not await.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<LiteDatabase, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return WriteLocked(work);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Registers the key store of this file. A second one would keep its own lookup cache, which the
    /// first one's writes could not invalidate, so it is refused.
    /// </summary>
    internal void AttachKeyStore()
    {
        if (Interlocked.CompareExchange(ref _keyStores, 1, 0) != 0)
        {
            throw new InvalidOperationException($"The key database '{DatabasePath}' already has a key store; share that one.");
        }
    }

    internal void DetachKeyStore() => Interlocked.Exchange(ref _keyStores, 0);

    /// <summary>Runs a read while no write is in progress (readers normally need no lock).</summary>
    internal T ReadExclusive<T>(Func<T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writeLock.Wait();
        try
        {
            return read();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Wait for a running writer so the database is not closed under its transaction.
        _writeLock.Wait();
        try
        {
            Database.Dispose();
        }
        finally
        {
            _ownership.Dispose();
            _writeLock.Release();
            _writeLock.Dispose();
        }
    }

    private T WriteLocked<T>(Func<LiteDatabase, T> work)
    {
        if (!Database.BeginTrans())
        {
            throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
        }

        T result;
        try
        {
            result = work(Database);
            Database.Commit();
        }
        catch
        {
            // Also after a failed commit: a transaction left open would belong to this pool
            // thread and make every later write that runs on it fail.
            Database.Rollback();
            throw;
        }

        SyncLog();
        return result;
    }

    /// <summary>
    /// Forces the committed transaction to stable storage. LiteDB 5.0.21 writes a transaction's pages
    /// to the log file (<c>-log.db</c>) with plain writes before Commit returns: that survives
    /// kill -9 (the pages are in the OS cache) but not a power loss, because the log is never
    /// fsynced on commit (litedb-org/LiteDB#2818). fsync applies to the file, not the descriptor, so a
    /// short-lived handle of our own flushes LiteDB's writes. A checkpoint copies the log into the
    /// data file and fsyncs that before it truncates the log, so a missing log is already durable.
    /// </summary>
    private void SyncLog()
    {
        try
        {
            using var handle = File.OpenHandle(_logPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
        }
        catch (FileNotFoundException)
        {
            // Checkpointed and removed: its content is in the data file, which LiteDB fsynced.
        }
    }

    /// <summary>
    /// LiteDB's direct mode does not stop a second process (or context) on Linux from opening the
    /// same file, and two writers corrupt it. An exclusive lock on a file beside it does: .NET takes
    /// an advisory lock for <see cref="FileShare.None"/>, released by the OS if the process dies.
    /// </summary>
    private static FileStream TakeOwnership(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the directory of the key database '{path}': {ex.Message}", ex);
        }

        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"The key database '{path}' is in use by another server or cannot be locked ('{lockPath}'): {ex.Message}", ex);
        }
    }

    private static LiteDatabase Open(string path)
    {
        LiteDatabase? database = null;
        try
        {
            database = new LiteDatabase(new ConnectionString
            {
                Filename = path,
                Connection = ConnectionType.Direct,
            });

            // LiteDB reads the header lazily; touching the catalogue and version surfaces a corrupt
            // file here, at start-up, rather than on the first lookup.
            var version = database.UserVersion;
            _ = database.GetCollectionNames().ToList();
            if (version > SchemaVersion)
            {
                throw new IOException(
                    $"The key database '{path}' has schema version {version}; this server understands up to {SchemaVersion}.");
            }

            if (version < SchemaVersion)
            {
                database.UserVersion = SchemaVersion;
            }

            return database;
        }
        catch (IOException ex) when (ex.Message.Contains(path, StringComparison.Ordinal))
        {
            database?.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException or InvalidDataException
                                       or InvalidCastException or ArgumentException or IndexOutOfRangeException)
        {
            database?.Dispose();
            throw new IOException($"Cannot open the key database '{path}': {ex.Message}", ex);
        }
    }
}
