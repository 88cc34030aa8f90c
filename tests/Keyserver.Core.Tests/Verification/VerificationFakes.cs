namespace Keyserver.Core.Tests.Verification;

/// <summary>Dictionaries behind a lock, honouring the <see cref="IVerificationStore"/> contract.</summary>
internal sealed class InMemoryVerificationStore : IVerificationStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), (DateTimeOffset At, int Count)> _throttle = [];

    public IReadOnlyList<StoredToken> Tokens
    {
        get
        {
            lock (_lock)
            {
                return [.. _tokens.Values];
            }
        }
    }

    public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _tokens[token.Hash] = token;
        }

        return Task.CompletedTask;
    }

    public Task<StoredToken?> FindTokenAsync(string hash, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_tokens.GetValueOrDefault(hash));
        }
    }

    public Task<bool> TryMarkUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(hash, out var token) || token.Used is not null)
            {
                return Task.FromResult(false);
            }

            _tokens[hash] = token with { Used = now };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryReserveMailAsync(string scope, string key, DateTimeOffset now, TimeSpan window, int max = 1, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_throttle.TryGetValue((scope, key), out var entry) && entry.At > now - window)
            {
                if (entry.Count >= max)
                {
                    return Task.FromResult(false);
                }

                _throttle[(scope, key)] = (entry.At, entry.Count + 1);
                return Task.FromResult(true);
            }

            _throttle[(scope, key)] = (now, 1);
            return Task.FromResult(true);
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset expiredBefore, DateTimeOffset mailedBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var tokens = _tokens.Values.Where(t => t.Expires < expiredBefore).Select(t => t.Hash).ToList();
            var throttles = _throttle.Where(t => t.Value.At < mailedBefore).Select(t => t.Key).ToList();
            tokens.ForEach(t => _tokens.Remove(t));
            throttles.ForEach(t => _throttle.Remove(t));
            return Task.FromResult(tokens.Count + throttles.Count);
        }
    }
}

/// <summary>A list behind a lock, honouring the <see cref="IMailOutbox"/> and <see cref="IMailQueueAdmin"/> contracts.</summary>
internal sealed class InMemoryMailOutbox : IMailOutbox, IMailQueueAdmin
{
    private const int MaxErrorLength = 500;

    private readonly Lock _lock = new();
    private readonly List<OutboxEntry> _entries = [];
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public IReadOnlyList<MailRequest> Mails
    {
        get
        {
            lock (_lock)
            {
                return _entries.Select(e => e.Mail).ToList();
            }
        }
    }

    public Task<string> EnqueueAsync(MailRequest mail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var id = Guid.NewGuid().ToString("N");
            _entries.Add(new OutboxEntry(id, mail, 0, now));
            return Task.FromResult(id);
        }
    }

    public Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<OutboxEntry> due = _entries.Where(e => e.NextAttempt <= now).OrderBy(e => e.NextAttempt).Take(max).ToList();
            return Task.FromResult(due);
        }
    }

    public Task MarkSentAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries.RemoveAll(e => e.Id == id);
        }

        return Task.CompletedTask;
    }

    public Task RescheduleAsync(string id, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _entries.FindIndex(e => e.Id == id);
            if (index >= 0)
            {
                _entries[index] = _entries[index] with { Attempts = _entries[index].Attempts + 1, NextAttempt = nextAttempt };
            }
        }

        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<DateTimeOffset?>(_entries.Count == 0 ? null : _entries.Min(e => e.NextAttempt));
        }
    }

    public Task<IReadOnlyList<MailQueueEntry>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<MailQueueEntry> list = _entries.OrderBy(e => e.NextAttempt).Take(max)
                .Select(e => new MailQueueEntry(e.Id, e.Mail.Kind, e.Mail.To, e.Mail.Fingerprint, e.Attempts, e.NextAttempt, e.Mail.Expires, _errors.GetValueOrDefault(e.Id)))
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> RetryNowAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _entries.FindIndex(e => e.Id == id);
            if (index >= 0)
            {
                _entries[index] = _entries[index] with { NextAttempt = now };
            }

            return Task.FromResult(index >= 0);
        }
    }

    public Task<bool> DropAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _errors.Remove(id);
            return Task.FromResult(_entries.RemoveAll(e => e.Id == id) > 0);
        }
    }

    public Task RecordErrorAsync(string id, string error, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_entries.Exists(e => e.Id == id))
            {
                _errors[id] = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
            }
        }

        return Task.CompletedTask;
    }
}
