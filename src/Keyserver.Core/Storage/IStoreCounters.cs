using Keyserver.Core.Keys;

namespace Keyserver.Core.Storage;

/// <summary>
/// A store that keeps its counts as it writes (inside the same transaction as each change), so that
/// statistics and metrics are read in constant time instead of scanning every key.
/// </summary>
public interface IStoreCounters
{
    /// <summary>The counts as of the last committed write.</summary>
    StoreCounters Counters { get; }
}

/// <summary>Counts a store keeps: keys, and identities by the status users see.</summary>
/// <param name="Keys">Stored keys.</param>
/// <param name="PublishedKeys">Keys with at least one published identity.</param>
/// <param name="PendingIdentities">Identities waiting for their owner's confirmation.</param>
/// <param name="PublishedIdentities">Published identities, not revoked.</param>
/// <param name="UnpublishedIdentities">Identities their owner withdrew.</param>
/// <param name="RevokedIdentities">Published identities their owner revoked.</param>
public sealed record StoreCounters(
    long Keys, long PublishedKeys, long PendingIdentities, long PublishedIdentities, long UnpublishedIdentities, long RevokedIdentities)
{
    /// <summary>No keys.</summary>
    public static StoreCounters Empty { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The counts one record contributes (none for null).</summary>
    public static StoreCounters Of(KeyRecord? record) =>
        record is null ? Empty : Of(record.IsPublished, record.Identities.Select(i => i.Status));

    /// <summary>The counts of one stored key, from its published flag and the status of each identity.</summary>
    public static StoreCounters Of(bool isPublished, IEnumerable<IdentityStatus> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        long pending = 0, published = 0, unpublished = 0, revoked = 0;
        foreach (var status in identities)
        {
            switch (status)
            {
                case IdentityStatus.Published:
                    published++;
                    break;
                case IdentityStatus.Unpublished:
                    unpublished++;
                    break;
                case IdentityStatus.Revoked:
                    revoked++;
                    break;
                default:
                    pending++;
                    break;
            }
        }

        return new StoreCounters(1, isPublished ? 1 : 0, pending, published, unpublished, revoked);
    }

    /// <summary>Element-wise sum.</summary>
    public StoreCounters Plus(StoreCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Keys + other.Keys, PublishedKeys + other.PublishedKeys, PendingIdentities + other.PendingIdentities,
            PublishedIdentities + other.PublishedIdentities, UnpublishedIdentities + other.UnpublishedIdentities,
            RevokedIdentities + other.RevokedIdentities);
    }

    /// <summary>Element-wise difference.</summary>
    public StoreCounters Minus(StoreCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Keys - other.Keys, PublishedKeys - other.PublishedKeys, PendingIdentities - other.PendingIdentities,
            PublishedIdentities - other.PublishedIdentities, UnpublishedIdentities - other.UnpublishedIdentities,
            RevokedIdentities - other.RevokedIdentities);
    }

    /// <summary>The <c>op=stats</c> figures: a revoked identity is still a published one.</summary>
    public StoreStatistics ToStatistics() => new(
        (int)Math.Min(Keys, int.MaxValue), (int)Math.Min(PublishedKeys, int.MaxValue),
        (int)Math.Min(PublishedIdentities + RevokedIdentities, int.MaxValue));
}
