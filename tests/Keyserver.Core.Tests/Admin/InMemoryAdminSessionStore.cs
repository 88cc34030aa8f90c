namespace Keyserver.Core.Tests.Admin;

/// <summary>A dictionary behind a lock, honouring the <see cref="IAdminSessionStore"/> contract.</summary>
internal sealed class InMemoryAdminSessionStore : IAdminSessionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AdminSession> _sessions = new(StringComparer.Ordinal);

    public Task CreateAsync(AdminSession session, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _sessions[session.Hash] = session;
        }

        return Task.CompletedTask;
    }

    public Task<AdminSession?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_sessions.GetValueOrDefault(hash));
        }
    }

    public Task<bool> TouchAsync(string hash, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(hash, out var session))
            {
                return Task.FromResult(false);
            }

            _sessions[hash] = session with { Ticket = ticket, LastSeen = lastSeen, Expires = expires };
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_sessions.Remove(hash));
        }
    }

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var expired = _sessions.Values.Where(s => s.Expires <= now).Select(s => s.Hash).ToList();
            expired.ForEach(h => _sessions.Remove(h));
            return Task.FromResult(expired.Count);
        }
    }
}
