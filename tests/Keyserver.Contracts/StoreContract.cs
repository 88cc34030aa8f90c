namespace Keyserver.Contracts;

/// <summary>
/// The frame of a contract suite: each test gets its own data directory (not created: a backend must
/// create it on first use) and a store opened there on first use by <paramref name="backend"/>;
/// <see cref="CloseStore"/> closes it so the next use reopens the same directory, as a restart would.
/// </summary>
public abstract class StoreContract<TStore>(StoreBackend<TStore> backend) : IDisposable
    where TStore : class
{
    private TStore? _opened;

    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "store-contract-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The store under test, opened on first use.</summary>
    protected TStore Opened => _opened ??= backend.Open(DataDirectory);

    public void Dispose()
    {
        CloseStore();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the store; the next use opens it again on the same directory.</summary>
    protected void CloseStore()
    {
        if (_opened is { } store)
        {
            _opened = null;
            backend.Close(store);
        }
    }
}
