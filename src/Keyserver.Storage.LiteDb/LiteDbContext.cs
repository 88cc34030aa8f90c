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

    /// <summary>How long a write waits for the writer before it gives up with <see cref="StoreUnavailableException"/>.</summary>
    public static readonly TimeSpan DefaultWriteWait = TimeSpan.FromSeconds(15);

    // Shutdown waits this long for a running write, then closes the file anyway: LiteDB's log
    // replays or drops the unfinished transaction on the next open.
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    // One document the health probe rewrites while the store is failing.
    private const string ProbeCollection = "store_probe";

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // LiteDB 5.0.21 is not safe under concurrent reads on a file larger than its page cache: a
    // reader can decode a page buffer the cache is recycling (litedb-org/LiteDB#2817), which throws
    // IndexOutOfRangeException or "page type must be index page", and a read that fails half-way
    // can leave its transaction or read lock behind on the thread (litedb-org/LiteDB#2790, the
    // symptom of #2435) until "Maximum number of transactions reached" fails every read. So every
    // call into the engine, read or write, holds this gate; the lookup cache keeps hot reads off it.
    private readonly Lock _engine = new();
    private readonly string _logPath;
    private readonly FileStream _ownership;
    private readonly TimeSpan _writeWait;
    private LiteDatabase _database;
    private bool _reopen;
    private volatile string? _writeFailure;
    private volatile string? _readFailure;
    private int _keyStores;
    private bool _disposed;

    /// <summary>
    /// Opens (or creates) the database file at <paramref name="databasePath"/>, creating its directory.
    /// </summary>
    /// <exception cref="StoreDamagedException">The file is damaged, empty or missing beside data of an earlier store.</exception>
    /// <exception cref="IOException">The file cannot be opened: unreadable, locked or from a newer version.</exception>
    public LiteDbContext(string databasePath)
        : this(databasePath, DefaultWriteWait)
    {
    }

    /// <summary>Opens the file with a bound on how long a write waits for the writer.</summary>
    public LiteDbContext(string databasePath, TimeSpan writeWait)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(writeWait, TimeSpan.Zero);
        DatabasePath = Path.GetFullPath(databasePath);
        _writeWait = writeWait;
        _logPath = LogPathOf(DatabasePath);
        StoreCheck.RefuseMissingOrEmpty(DatabasePath);
        _ownership = TakeOwnership(DatabasePath);
        try
        {
            _database = Open(DatabasePath);
            StoreCheck.Quick(_database, DatabasePath);
        }
        catch
        {
#pragma warning disable CA1508 // _database is null when Open threw
            _database?.Dispose();
#pragma warning restore CA1508
            _ownership.Dispose();
            throw;
        }
    }

    /// <summary>Absolute path of the data file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// The open database, for tests and maintenance that own the context alone. Servers read
    /// through <see cref="Read{T}"/> and write through <see cref="WriteAsync{T}"/>.
    /// </summary>
    public LiteDatabase Database => _database;

    /// <summary>
    /// Why the store is failing, or null while it reads and writes: set by a write that failed on
    /// the disk (cleared by the next write that succeeds) or by a read the engine could not answer
    /// (cleared by the next read that succeeds).
    /// </summary>
    public string? Failure => _writeFailure ?? _readFailure;

    /// <summary>
    /// Runs <paramref name="work"/> as the only writer, inside one transaction that is committed and
    /// flushed to stable storage before the returned task completes. If <paramref name="work"/>
    /// throws, the transaction is rolled back and nothing is written.
    /// </summary>
    /// <remarks>
    /// <paramref name="work"/> runs synchronously on one thread: LiteDB binds a transaction to the
    /// thread that began it, so it must not await.
    /// </remarks>
    /// <exception cref="StoreUnavailableException">The disk refused the write, or the writer stayed busy past the bound; nothing was stored.</exception>
    public async Task<T> WriteAsync<T>(Func<LiteDatabase, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _writeLock.WaitAsync(_writeWait, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreUnavailableException($"The key database '{DatabasePath}' is busy: no write finished within {_writeWait.TotalSeconds:0} s.");
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return WriteLocked(work);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs a read of the database alone with the engine (see the gate's comment). An engine error
    /// marks the store failing and surfaces as <see cref="StoreUnavailableException"/>.
    /// </summary>
    public T Read<T>(Func<LiteDatabase, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_engine)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                ReopenIfNeeded();
                var result = read(_database);
                _readFailure = null;
                return result;
            }
            catch (Exception e) when (IsEngineFailure(e))
            {
                _readFailure = $"reading '{DatabasePath}' failed: {OneLine(e)}";
                // The failed read may have left its transaction or lock on this thread: start over.
                _reopen = true;
                throw new StoreUnavailableException($"The key database '{DatabasePath}' cannot be read: {OneLine(e)}", e);
            }
        }
    }

    /// <summary>
    /// A cheap check that the engine answers: reopens the file after a failure and reads its
    /// catalogue. While the last write failed it also tries a one-document write, so a store whose
    /// disk has space again turns healthy without waiting for a client's write.
    /// </summary>
    /// <returns>Null when healthy, else why not.</returns>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            Read(db => db.GetCollectionNames().Count());
            if (_writeFailure is not null)
            {
                await WriteAsync(
                    db => db.GetCollection(ProbeCollection).Upsert(new BsonDocument { ["_id"] = 1, ["at"] = DateTime.UtcNow }),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StoreUnavailableException e)
        {
            return e.Message;
        }

        return Failure;
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

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Let a running writer finish so the file is not closed under its transaction, but do not
        // hold a shutdown hostage to a stuck one.
        var acquired = _writeLock.Wait(DisposeWait);
        try
        {
            lock (_engine)
            {
                try
                {
                    _database.Dispose();
                }
                catch (Exception e) when (IsEngineFailure(e))
                {
                    // Closing checkpoints the log; when that cannot be written the log stays and is
                    // replayed on the next open.
                }
            }
        }
        finally
        {
            _ownership.Dispose();
            if (acquired)
            {
                _writeLock.Release();
            }
        }
    }

    /// <summary>The path of LiteDB's log file beside <paramref name="databasePath"/>.</summary>
    public static string LogPathOf(string databasePath) => Path.Combine(
        Path.GetDirectoryName(databasePath)!,
        Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));

    /// <summary>Errors of the engine or the disk, as opposed to the caller's own (bad arguments, a refused change).</summary>
    /// <param name="e">The exception to classify.</param>
    public static bool IsEngineFailure(Exception e) => e switch
    {
        StoreUnavailableException => false,
        LiteException lite => lite.ErrorCode != LiteException.INDEX_DUPLICATE_KEY,
        IOException or UnauthorizedAccessException or IndexOutOfRangeException or InvalidCastException
            or LockRecursionException or SynchronizationLockException or ObjectDisposedException
            or NullReferenceException => true,
        _ => false,
    };

    /// <summary>The exception's message on one line.</summary>
    public static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    private T WriteLocked<T>(Func<LiteDatabase, T> work)
    {
        T result;
        lock (_engine)
        {
            try
            {
                ReopenIfNeeded();
            }
            catch (Exception e) when (IsEngineFailure(e))
            {
                throw WriteFailed(e);
            }

            var database = _database;
            if (!database.BeginTrans())
            {
                // A transaction left on this pool thread by an engine that failed: start over.
                _reopen = true;
                throw WriteFailed(new InvalidOperationException("A LiteDB transaction is already open on this thread."));
            }

            try
            {
                result = work(database);
                database.Commit();
            }
            catch (Exception e)
            {
                // Also after a failed commit: a transaction left open would belong to this pool
                // thread and hold LiteDB's write lock, making every later write time out.
                try
                {
                    database.Rollback();
                }
                catch (Exception rollback) when (IsEngineFailure(rollback))
                {
                    _reopen = true;
                }

                if (IsEngineFailure(e))
                {
                    // A disk that refused pages may have left the engine's cache or log half
                    // written: reopen from the file, which replays only committed transactions.
                    _reopen = true;
                    throw WriteFailed(e);
                }

                throw;
            }
        }

        try
        {
            SyncLog();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Committed but perhaps not durable: the answer is an error, and a retry of the same
            // change finds it stored and answers "unchanged".
            throw WriteFailed(e);
        }

        _writeFailure = null;
        return result;
    }

    private StoreUnavailableException WriteFailed(Exception e)
    {
        var message = $"The key database '{DatabasePath}' cannot be written: {OneLine(e)}";
        _writeFailure = message;
        return new StoreUnavailableException(message, e);
    }

    private void ReopenIfNeeded()
    {
        if (!_reopen)
        {
            return;
        }

        try
        {
            _database.Dispose();
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            // The old engine is abandoned either way; its committed pages are in the log.
        }

        _database = Open(DatabasePath);
        _reopen = false;
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
            DisposeQuietly(database);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DisposeQuietly(database);
            throw new IOException($"Cannot open the key database '{path}': {OneLine(ex)}", ex);
        }
        catch (Exception ex) when (IsEngineFailure(ex) || ex is ArgumentException or OverflowException)
        {
            DisposeQuietly(database);
            throw StoreCheck.Damaged(path, OneLine(ex), ex);
        }
    }

    private static void DisposeQuietly(LiteDatabase? database)
    {
        try
        {
            database?.Dispose();
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            // Closing a damaged file can fail as well; the first error is the one to report.
        }
    }
}
