namespace Keyserver.Core.Verification;

/// <summary>
/// Durable state of the e-mail verification: issued tokens (by hash) and when a verification mail
/// was sent per key and address, per address and per client network. Every write is atomic and durable before the task completes.
/// </summary>
public interface IVerificationStore
{
    /// <summary>Stores a newly issued token.</summary>
    Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken = default);

    /// <summary>The token with this hash, used or not, expired or not; null when unknown.</summary>
    Task<StoredToken?> FindTokenAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the token used at <paramref name="now"/> if it exists and was not used yet. True only
    /// for the one caller that used it: two concurrent confirmations cannot both succeed.
    /// </summary>
    Task<bool> TryMarkUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomic check-and-count of a mail budget: at most <paramref name="max"/> reservations for
    /// (<paramref name="scope"/>, <paramref name="key"/>) in a window of <paramref name="window"/>
    /// that starts at the first of them. Returns true and counts this one while the budget lasts,
    /// else false. With <paramref name="max"/> 1 it is a plain "one per interval" throttle.
    /// </summary>
    Task<bool> TryReserveMailAsync(string scope, string key, DateTimeOffset now, TimeSpan window, int max = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes tokens that expired before <paramref name="expiredBefore"/> and throttle entries last
    /// set before <paramref name="mailedBefore"/>. Returns how many entries were deleted.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset expiredBefore, DateTimeOffset mailedBefore, CancellationToken cancellationToken = default);
}
