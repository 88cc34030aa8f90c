using Keyserver.Core.Verification;
using LiteDB;

namespace Keyserver.Storage.LiteDb.Verification;

/// <summary>
/// <see cref="IVerificationStore"/> in the server's LiteDB file: one document per token (keyed by its
/// hash) and one per (fingerprint, address) mail throttle entry. Times are stored as UTC ticks:
/// LiteDB's own dates lose the offset and round to milliseconds.
/// </summary>
public sealed class LiteDbVerificationStore(LiteDbContext context) : LiteDbStore(context, (TokenCollection, "expires"), (ThrottleCollection, "at")), IVerificationStore, IVerificationTransfer
{
    internal const string TokenCollection = "verification_tokens";
    internal const string ThrottleCollection = "verification_mail_throttle";

    /// <inheritdoc />
    public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var doc = new BsonDocument
        {
            ["_id"] = token.Hash,
            ["purpose"] = (int)token.Purpose,
            ["fpr"] = token.Fingerprint,
            ["addr"] = token.Address,
            ["created"] = token.Created.UtcTicks,
            ["expires"] = token.Expires.UtcTicks,
            ["used"] = token.Used is { } used ? used.UtcTicks : BsonValue.Null,
        };
        return Context.WriteAsync(db => db.GetCollection(TokenCollection).Upsert(doc), cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredToken?> FindTokenAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return FindByIdAsync(TokenCollection, hash, ToToken, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryMarkUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Context.WriteAsync(db =>
        {
            var tokens = db.GetCollection(TokenCollection);
            var doc = tokens.FindById(hash);
            if (doc is null || !doc["used"].IsNull)
            {
                return false;
            }

            doc["used"] = now.UtcTicks;
            return tokens.Update(doc);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryReserveMailAsync(string scope, string key, DateTimeOffset now, TimeSpan window, int max = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var id = scope + "\n" + key;
        return Context.WriteAsync(db =>
        {
            var throttle = db.GetCollection(ThrottleCollection);
            var doc = throttle.FindById(id);
            if (doc is not null && doc["at"].AsInt64 > (now - window).UtcTicks)
            {
                // Entries written before budgets existed count as one.
                var count = doc["n"].IsNull ? 1 : doc["n"].AsInt32;
                if (count >= max)
                {
                    return false;
                }

                doc["n"] = count + 1;
                throttle.Update(doc);
                return true;
            }

            throttle.Upsert(new BsonDocument { ["_id"] = id, ["at"] = now.UtcTicks, ["n"] = 1 });
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeAsync(DateTimeOffset expiredBefore, DateTimeOffset mailedBefore, CancellationToken cancellationToken = default) =>
        Context.WriteAsync(db =>
            db.GetCollection(TokenCollection).DeleteMany(Query.LT("expires", expiredBefore.UtcTicks))
            + db.GetCollection(ThrottleCollection).DeleteMany(Query.LT("at", mailedBefore.UtcTicks)),
            cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredToken> ScanTokensAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Tokens and budgets are small and expire within days: one read each.
        foreach (var doc in Context.Read(db => db.GetCollection(TokenCollection).FindAll().ToList()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ToToken(doc);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MailBudget> ScanMailBudgetsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var doc in Context.Read(db => db.GetCollection(ThrottleCollection).FindAll().ToList()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = doc["_id"].AsString;
            var split = id.IndexOf('\n', StringComparison.Ordinal);
            yield return new MailBudget(
                split < 0 ? id : id[..split],
                split < 0 ? "" : id[(split + 1)..],
                new DateTimeOffset(doc["at"].AsInt64, TimeSpan.Zero),
                doc["n"].IsNull ? 1 : doc["n"].AsInt32);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task PutMailBudgetAsync(MailBudget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var doc = new BsonDocument { ["_id"] = budget.Scope + "\n" + budget.Key, ["at"] = budget.At.UtcTicks, ["n"] = budget.Count };
        return Context.WriteAsync(db => db.GetCollection(ThrottleCollection).Upsert(doc), cancellationToken);
    }

    private static StoredToken ToToken(BsonDocument doc) => new(
        doc["_id"].AsString,
        (TokenPurpose)doc["purpose"].AsInt32,
        doc["fpr"].IsNull ? null : doc["fpr"].AsString,
        doc["addr"].IsNull ? null : doc["addr"].AsString,
        new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(doc["expires"].AsInt64, TimeSpan.Zero),
        doc["used"].IsNull ? null : new DateTimeOffset(doc["used"].AsInt64, TimeSpan.Zero));
}
