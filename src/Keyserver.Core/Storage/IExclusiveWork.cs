namespace Keyserver.Core.Storage;

/// <summary>
/// Periodic work that must run on one server at a time when several servers share one store (the
/// purge of stale verification state). A store shared between processes implements it; with an
/// embedded store there is one process, and the work simply runs.
/// </summary>
public interface IExclusiveWork
{
    /// <summary>
    /// Tries to become the one instance doing <paramref name="work"/>. Returns a handle that holds the
    /// claim until it is disposed (or the process dies), or null while another instance holds it.
    /// </summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string work, CancellationToken cancellationToken = default);
}
