using System.Runtime.CompilerServices;

namespace Keyserver.Core.Tests.Admin;

/// <summary>A dictionary behind a lock, honouring the <see cref="IBlockList"/> contract.</summary>
internal sealed class InMemoryBlockList : IBlockList
{
    private readonly Lock _lock = new();
    private readonly Dictionary<BlockTarget, BlockEntry> _blocks = [];

    public Task<bool> AddAsync(BlockEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_blocks.TryAdd(entry.Target, entry));
        }
    }

    public Task<bool> RemoveAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_blocks.Remove(target));
        }
    }

    public Task<BlockEntry?> GetAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_blocks.GetValueOrDefault(target));
        }
    }

    public Task<IReadOnlyList<BlockEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<BlockEntry> list = [.. _blocks.Values.OrderBy(e => e.Target.Kind).ThenBy(e => e.Target.Value, StringComparer.Ordinal)];
            return Task.FromResult(list);
        }
    }
}

/// <summary>A list behind a lock, honouring the <see cref="IAuditLog"/> contract.</summary>
internal sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries.Add(entry with { Fingerprint = entry.Fingerprint?.ToUpperInvariant(), Address = entry.Address?.ToLowerInvariant() });
        }

        return Task.CompletedTask;
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var matching = InTimeOrder(query);
        matching.Reverse();
        return Task.FromResult(new AuditPage([.. matching.Skip(offset).Take(limit)], matching.Count));
    }

    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var entry in InTimeOrder(query))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask;
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.RemoveAll(e => e.Time < before));
        }
    }

    // A stable sort: entries of the same time keep their append order.
    private List<AuditEntry> InTimeOrder(AuditQuery query)
    {
        lock (_lock)
        {
            return [.. _entries.Where(query.Matches).OrderBy(e => e.Time.UtcTicks)];
        }
    }
}
