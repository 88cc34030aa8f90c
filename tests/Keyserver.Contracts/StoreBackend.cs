namespace Keyserver.Contracts;

/// <summary>
/// How one backend opens a store kept in a data directory (created on first use) and releases what it
/// took: <paramref name="close"/>, by default disposing the store.
/// </summary>
public sealed class StoreBackend<TStore>(Func<string, TStore> open, Action<TStore>? close = null)
    where TStore : class
{
    public TStore Open(string dataDirectory) => open(dataDirectory);

    public void Close(TStore store)
    {
        if (close is null)
        {
            (store as IDisposable)?.Dispose();
        }
        else
        {
            close(store);
        }
    }
}

public static class StoreBackend
{
    /// <summary>
    /// An in-memory store: it lives as long as its object, so "closing and reopening" the data directory
    /// finds the same object, as a restarted process finds the same file.
    /// </summary>
    public static StoreBackend<TStore> Kept<TStore>(TStore store)
        where TStore : class => new(_ => store, _ => { });
}
