namespace Keyserver.Contracts;

/// <summary>
/// The frame of a contract suite: each test gets its own data directory (not created: a backend must
/// create it on first use) and a store opened there on first use; <see cref="CloseStore"/> closes it so
/// the next use reopens the same directory, as a restart would.
/// </summary>
public abstract class StoreContract<TStore> : IDisposable
    where TStore : class
{
    private TStore? _opened;

    protected StoreContract()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "store-contract-tests", Guid.NewGuid().ToString("N"));
    }

    protected string DataDirectory { get; }

    /// <summary>The store under test, opened on first use.</summary>
    protected TStore Opened => _opened ??= Open(DataDirectory);

    public void Dispose()
    {
        CloseStore();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the store kept in <paramref name="dataDirectory"/> (created on first use).</summary>
    protected abstract TStore Open(string dataDirectory);

    /// <summary>Releases what <see cref="Open"/> took; by default disposes the store.</summary>
    protected virtual void Close(TStore store) => (store as IDisposable)?.Dispose();

    /// <summary>Closes the store; the next use opens it again on the same directory.</summary>
    protected void CloseStore()
    {
        if (_opened is { } store)
        {
            _opened = null;
            Close(store);
        }
    }
}
