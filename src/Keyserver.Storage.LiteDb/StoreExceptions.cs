namespace Keyserver.Storage.LiteDb;

/// <summary>
/// The store cannot write right now (disk full, file system read-only, an I/O error, or the writer
/// was busy past its bound). Nothing of the failed write was stored; the same write may succeed
/// later, so a server answers 503 with Retry-After.
/// </summary>
public sealed class StoreUnavailableException : IOException
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public StoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The database file is damaged or missing next to data that shows it existed. The message is one
/// line naming the file and the command that checks or repairs it.
/// </summary>
public sealed class StoreDamagedException : IOException
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public StoreDamagedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
