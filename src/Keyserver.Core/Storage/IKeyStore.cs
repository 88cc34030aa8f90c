using Keyserver.Core.Keys;
using Keyserver.Core.Search;

namespace Keyserver.Core.Storage;

/// <summary>
/// Where keys live. Implementations persist <see cref="KeyRecord"/>s as they are given and index the
/// lookup fields they carry; they never parse OpenPGP. Every write is atomic and durable before the
/// returned task completes.
/// </summary>
public interface IKeyStore
{
    /// <summary>The record whose primary fingerprint is <paramref name="fingerprint"/> (upper-case hex), published or not.</summary>
    Task<KeyRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Published keys matching <paramref name="query"/>, ordered by fingerprint, skipping
    /// <paramref name="offset"/> and returning at most <paramref name="limit"/>. Records that are not
    /// published are never returned.
    /// </summary>
    Task<KeyPage> FindAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomic read-modify-write of one key. <paramref name="change"/> receives the stored record (or
    /// null) and returns the record to store, the same instance to leave it unchanged, or null to
    /// delete it. It must be free of side effects: a store may call it more than once.
    /// </summary>
    Task<WriteOutcome> UpdateAsync(string fingerprint, Func<KeyRecord?, KeyRecord?> change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several <see cref="UpdateAsync"/> changes committed together (bulk import). Each change sees
    /// the record as left by earlier changes in the same batch. Outcomes are in input order.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(IReadOnlyList<KeyChange> changes, CancellationToken cancellationToken = default);

    /// <summary>Every stored record, published or not, in fingerprint order (dump, purge).</summary>
    IAsyncEnumerable<KeyRecord> ScanAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts for <c>op=stats</c>.</summary>
    Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}

/// <summary>One change in a batch: the fingerprint and the read-modify-write function.</summary>
/// <param name="Fingerprint">Primary fingerprint, upper-case hex.</param>
/// <param name="Change">As in <see cref="IKeyStore.UpdateAsync"/>.</param>
public sealed record KeyChange(string Fingerprint, Func<KeyRecord?, KeyRecord?> Change);

/// <summary>What a write did (named after the result of an upsert).</summary>
public enum WriteOutcome
{
    /// <summary>No record existed; one was stored.</summary>
    Added,
    /// <summary>A record existed and was replaced.</summary>
    Replaced,
    /// <summary>The change returned the stored record: nothing was written.</summary>
    Unchanged,
    /// <summary>A record existed and was deleted.</summary>
    Deleted,
}

/// <summary>A page of lookup results.</summary>
/// <param name="Keys">The records of this page.</param>
/// <param name="Total">How many published records match in all.</param>
public sealed record KeyPage(IReadOnlyList<KeyRecord> Keys, int Total)
{
    /// <summary>
    /// The most matches a store reads for one search: a word shared by a large part of the store
    /// ("org") answers with the first ones in fingerprint order and <see cref="TotalIsLowerBound"/>,
    /// so no client can make a lookup read the whole store.
    /// </summary>
    public const int MaxMatches = 5_000;

    /// <summary>True when more keys match than the store reads for one search: <see cref="Total"/> is then "at least".</summary>
    public bool TotalIsLowerBound { get; init; }
}

/// <summary>Counts for statistics.</summary>
/// <param name="Keys">Stored keys.</param>
/// <param name="PublishedKeys">Keys with at least one published identity.</param>
/// <param name="PublishedIdentities">Published identities over all keys.</param>
public sealed record StoreStatistics(int Keys, int PublishedKeys, int PublishedIdentities);
