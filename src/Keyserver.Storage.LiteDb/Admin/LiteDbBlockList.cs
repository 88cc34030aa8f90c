using Keyserver.Core.Admin;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Admin;

/// <summary>
/// <see cref="IBlockList"/> in the server's LiteDB file: one document per block, keyed by kind and
/// normalised value. Times are stored as UTC ticks, as in the verification store.
/// </summary>
public sealed class LiteDbBlockList : IBlockList
{
    internal const string Collection = "blocks";

    private readonly LiteDbContext _context;

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
        return _context.WriteAsync(db =>
        {
            var blocks = db.GetCollection(Collection);
            if (blocks.FindById(doc["_id"]) is not null)
            {
                return false;
            }

            blocks.Insert(doc);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _context.WriteAsync(db => db.GetCollection(Collection).Delete(IdOf(target)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<BlockEntry?> GetAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var doc = _context.Read(db => db.GetCollection(Collection).FindById(IdOf(target)));
        return Task.FromResult(doc is null ? null : ToEntry(doc));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BlockEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var docs = _context.Read(db => db.GetCollection(Collection).FindAll().ToList());
        IReadOnlyList<BlockEntry> entries = docs
            .Select(ToEntry)
            .OfType<BlockEntry>()
            .OrderBy(e => e.Target.Kind)
            .ThenBy(e => e.Target.Value, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(entries);
    }

    private static string IdOf(BlockTarget target) => $"{(int)target.Kind}:{target.Value}";

    // A document whose value no longer normalises (written by hand) is left out rather than failing the list.
    private static BlockEntry? ToEntry(BsonDocument doc) =>
        BlockTarget.Of((BlockKind)doc["kind"].AsInt32, doc["value"].AsString) is { } target
            ? new BlockEntry(target, new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero), doc["actor"].AsString,
                doc["reason"].IsNull ? null : doc["reason"].AsString)
            : null;
}
