namespace Keyserver.Core.Verification;

/// <summary>
/// Durable state of the e-mail verification: issued tokens (by hash) and when a verification mail
/// was last sent per key and address. Every write is atomic and durable before the task completes.
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
    /// Atomic check-and-set of the mail throttle: when no mail for (<paramref name="fingerprint"/>,
    /// <paramref name="address"/>) was reserved after <paramref name="now"/> minus
    /// <paramref name="interval"/>, records <paramref name="now"/> and returns true; else false.
    /// </summary>
    Task<bool> TryReserveMailAsync(string fingerprint, string address, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes tokens that expired before <paramref name="expiredBefore"/> and throttle entries last
    /// set before <paramref name="mailedBefore"/>. Returns how many entries were deleted.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset expiredBefore, DateTimeOffset mailedBefore, CancellationToken cancellationToken = default);
}
