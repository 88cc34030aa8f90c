using System.Runtime.CompilerServices;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Tests;

/// <summary>A dictionary behind a lock, honouring the <see cref="IKeyStore"/> contract.</summary>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, KeyRecord> _records = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    public Task<KeyRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_records.GetValueOrDefault(fingerprint));
        }
    }

    public Task<KeyPage> FindAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var matches = _records.Values.Where(r => r.IsPublished && Matches(r, query)).ToList();
            return Task.FromResult(new KeyPage(matches.Skip(offset).Take(limit).ToList(), matches.Count));
        }
    }

    public Task<WriteOutcome> UpdateAsync(string fingerprint, Func<KeyRecord?, KeyRecord?> change, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Apply(fingerprint, change));
        }
    }

    public Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(IReadOnlyList<KeyChange> changes, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<WriteOutcome> outcomes = changes.Select(c => Apply(c.Fingerprint, c.Change)).ToList();
            return Task.FromResult(outcomes);
        }
    }

    public async IAsyncEnumerable<KeyRecord> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<KeyRecord> all;
        lock (_lock)
        {
            all = [.. _records.Values];
        }

        foreach (var record in all)
        {
            await Task.Yield();
            yield return record;
        }
    }

    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new StoreStatistics(
                _records.Count,
                _records.Values.Count(r => r.IsPublished),
                _records.Values.Sum(r => r.Identities.Count(i => i.State == IdentityState.Published))));
        }
    }

    private WriteOutcome Apply(string fingerprint, Func<KeyRecord?, KeyRecord?> change)
    {
        var previous = _records.GetValueOrDefault(fingerprint);
        var next = change(previous);
        if (ReferenceEquals(next, previous))
        {
            return WriteOutcome.Unchanged;
        }

        if (next is null)
        {
            _records.Remove(fingerprint);
            return WriteOutcome.Deleted;
        }

        _records[fingerprint] = next;
        return previous is null ? WriteOutcome.Added : WriteOutcome.Replaced;
    }

    private static bool Matches(KeyRecord record, KeyQuery query) => query switch
    {
        KeyQuery.ByFingerprint q => record.Fingerprints.Contains(q.Fingerprint),
        KeyQuery.ByKeyId q => record.KeyIds.Contains(q.KeyId),
        KeyQuery.ByShortKeyId q => record.ShortKeyIds.Contains(q.ShortKeyId),
        KeyQuery.ByEmail q => record.PublishedEmails.Contains(q.Email),
        KeyQuery.ByWords q => q.Words.All(record.PublishedWords.Contains),
        KeyQuery.ByUserId q => record.Identities.Any(i => i.State == IdentityState.Published && string.Equals(i.UserId, q.UserId, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}
