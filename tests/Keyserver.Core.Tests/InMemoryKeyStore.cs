using System.Runtime.CompilerServices;

namespace Keyserver.Core.Tests;

/// <summary>A dictionary behind a lock, honouring the <see cref="IKeyStore"/> contract.</summary>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly Lock _lock = new();
    private SortedDictionary<string, KeyRecord> _records = new(StringComparer.Ordinal);

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
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            var matches = _records.Values.Where(r => r.IsPublished && Matches(r, query)).ToList();
            return Task.FromResult(new KeyPage(matches.Skip(offset).Take(limit).ToList(), matches.Count));
        }
    }

    public Task<WriteOutcome> UpdateAsync(string fingerprint, Func<KeyRecord?, KeyRecord?> change, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(Apply(_records, fingerprint, change));
        }
    }

    public Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(IReadOnlyList<KeyChange> changes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            // All or nothing: the batch is applied to a copy, which replaces the records only when every change succeeded.
            var copy = new SortedDictionary<string, KeyRecord>(_records, StringComparer.Ordinal);
            IReadOnlyList<WriteOutcome> outcomes = changes.Select(c => Apply(copy, c.Fingerprint, c.Change)).ToList();
            _records = copy;
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
            cancellationToken.ThrowIfCancellationRequested();
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

    private static WriteOutcome Apply(SortedDictionary<string, KeyRecord> records, string fingerprint, Func<KeyRecord?, KeyRecord?> change)
    {
        var previous = records.GetValueOrDefault(fingerprint);
        var next = change(previous);
        if (ReferenceEquals(next, previous))
        {
            return WriteOutcome.Unchanged;
        }

        if (next is null)
        {
            records.Remove(fingerprint);
            return WriteOutcome.Deleted;
        }

        if (!string.Equals(next.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A change of {fingerprint} returned the record of {next.Fingerprint}.");
        }

        records[fingerprint] = next;
        return previous is null ? WriteOutcome.Added : WriteOutcome.Replaced;
    }

    private static bool Matches(KeyRecord record, KeyQuery query) => query switch
    {
        KeyQuery.ByFingerprint q => record.Fingerprints.Contains(q.Fingerprint),
        KeyQuery.ByKeyId q => record.KeyIds.Contains(q.KeyId),
        KeyQuery.ByShortKeyId q => record.ShortKeyIds.Contains(q.ShortKeyId),
        KeyQuery.ByEmail q => record.PublishedEmails.Contains(q.Email),
        KeyQuery.ByWords q => q.Words.Count > 0 && q.Words.All(record.PublishedWords.Contains),
        KeyQuery.ByUserId q => record.Identities.Any(i => i.State == IdentityState.Published && string.Equals(i.UserId, q.UserId, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}
