using Keyserver.Core.Admin;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Admin;

/// <summary>
/// <see cref="IBlockList"/> in the server's LiteDB file: one document per block, keyed by kind and
/// normalised value. Times are stored as UTC ticks, as in the verification store.
/// </summary>
/// <remarks>
/// Every admitted key asks several times (its fingerprint, its address, each parent domain), so the
/// list is also kept in memory: loaded on first use and changed only after a write has committed.
/// The copy stays exact because the file belongs to this process alone (the context's lock file);
/// a write whose outcome is unknown drops the copy, and the next read loads it again.
/// </remarks>
public sealed class LiteDbBlockList : IBlockList
{
    internal const string Collection = "blocks";

    private readonly LiteDbContext _context;
    private readonly Lock _gate = new();

    // The blocks by document id, or null until read (again) from the file. Replaced whole, never changed.
    private Dictionary<string, BlockEntry>? _snapshot;

    /// <summary>Creates the list in <paramref name="context"/>'s file; the caller keeps owning the context.</summary>
    public LiteDbBlockList(LiteDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    /// <inheritdoc />
    public Task<bool> AddAsync(BlockEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var doc = new BsonDocument
        {
            ["_id"] = IdOf(entry.Target),
            ["kind"] = (int)entry.Target.Kind,
            ["value"] = entry.Target.Value,
            ["created"] = entry.Created.UtcTicks,
            ["actor"] = entry.Actor,
            ["reason"] = entry.Reason is null ? BsonValue.Null : entry.Reason,
        };
        return ChangeAsync(
            db =>
            {
                var blocks = db.GetCollection(Collection);
                if (blocks.FindById(doc["_id"]) is not null)
                {
                    return false;
                }

                blocks.Insert(doc);
                return true;
            },
            (snapshot, added) =>
            {
                if (added && ToEntry(doc) is { } stored)
                {
                    snapshot[IdOf(entry.Target)] = stored;
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var id = IdOf(target);
        return ChangeAsync(
            db => db.GetCollection(Collection).Delete(id),
            (snapshot, _) => snapshot.Remove(id),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<BlockEntry?> GetAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Snapshot().GetValueOrDefault(IdOf(target)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BlockEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<BlockEntry> entries = Snapshot().Values
            .OrderBy(e => e.Target.Kind)
            .ThenBy(e => e.Target.Value, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(entries);
    }

    private Dictionary<string, BlockEntry> Snapshot()
    {
        lock (_gate)
        {
            return _snapshot ??= _context.Read(db => db.GetCollection(Collection).FindAll()
                .Select(doc => (Id: doc["_id"].AsString, Entry: ToEntry(doc)))
                .Where(pair => pair.Entry is not null)
                .ToDictionary(pair => pair.Id, pair => pair.Entry!, StringComparer.Ordinal));
        }
    }

    // Writes, then applies the same change to a copy of the snapshot; readers never see a half-changed one.
    private async Task<bool> ChangeAsync(Func<LiteDatabase, bool> write, Action<Dictionary<string, BlockEntry>, bool> apply, CancellationToken cancellationToken)
    {
        bool changed;
        try
        {
            changed = await _context.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _snapshot = null;
            }

            throw;
        }

        lock (_gate)
        {
            if (_snapshot is not null)
            {
                var copy = new Dictionary<string, BlockEntry>(_snapshot, StringComparer.Ordinal);
                apply(copy, changed);
                _snapshot = copy;
            }
        }

        return changed;
    }

    private static string IdOf(BlockTarget target) => $"{(int)target.Kind}:{target.Value}";

    // A document whose value no longer normalises (written by hand) is left out rather than failing the list.
    private static BlockEntry? ToEntry(BsonDocument doc) =>
        BlockTarget.Of((BlockKind)doc["kind"].AsInt32, doc["value"].AsString) is { } target
            ? new BlockEntry(target, new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero), doc["actor"].AsString,
                doc["reason"].IsNull ? null : doc["reason"].AsString)
            : null;
}
