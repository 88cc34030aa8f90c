using LiteDB;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// A store in a <see cref="LiteDbContext"/>'s file the caller keeps owning: creating the store ensures
/// the indexes its queries need.
/// </summary>
public abstract class LiteDbStore
{
    /// <summary>Works in <paramref name="context"/>'s file, ensuring each (collection, field) index now.</summary>
    private protected LiteDbStore(LiteDbContext context, params (string Collection, string Field)[] indexes)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        if (indexes.Length > 0)
        {
            context.WriteAsync(db =>
            {
                foreach (var (collection, field) in indexes)
                {
                    db.GetCollection(collection).EnsureIndex(field);
                }

                return indexes.Length;
            }).GetAwaiter().GetResult();
        }
    }

    /// <summary>The file the store works in.</summary>
    private protected LiteDbContext Context { get; }

    /// <summary>The document of <paramref name="collection"/> with the id <paramref name="id"/> as <paramref name="map"/> reads it; null when there is none.</summary>
    private protected Task<T?> FindByIdAsync<T>(string collection, BsonValue id, Func<BsonDocument, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        var doc = Context.Read(db => db.GetCollection(collection).FindById(id));
        return Task.FromResult(doc is null ? null : map(doc));
    }
}
