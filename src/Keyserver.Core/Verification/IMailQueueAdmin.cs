namespace Keyserver.Core.Verification;

/// <summary>A queued mail as the admin console shows it: no link token.</summary>
/// <param name="Id">Identifier of the entry in the outbox.</param>
/// <param name="Kind">Which message.</param>
/// <param name="To">The recipient address.</param>
/// <param name="Fingerprint">The key the mail is about, or null.</param>
/// <param name="Attempts">Failed delivery attempts so far.</param>
/// <param name="NextAttempt">When the next attempt is due.</param>
/// <param name="Expires">When the mail's link stops working (an undelivered mail is dropped then).</param>
/// <param name="LastError">The error of the last failed attempt, or null.</param>
public sealed record MailQueueEntry(
    string Id, MailKind Kind, string To, string? Fingerprint, int Attempts, DateTimeOffset NextAttempt, DateTimeOffset Expires, string? LastError)
{
    /// <summary>
    /// True when the mail will not be delivered as things stand: its next attempt falls after its
    /// link expires, so the worker will drop it (unless an admin retries it now).
    /// </summary>
    public bool IsFailed => NextAttempt >= Expires;
}

/// <summary>
/// What the admin console does with the mail outbox, beside <see cref="IMailOutbox"/>: list the
/// queue, retry or drop one entry, and keep the last delivery error of each.
/// </summary>
public interface IMailQueueAdmin
{
    /// <summary>Up to <paramref name="max"/> queued entries, earliest due first.</summary>
    Task<IReadOnlyList<MailQueueEntry>> ListAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Makes the entry due at <paramref name="now"/>; false when it is unknown.</summary>
    Task<bool> RetryNowAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry unsent (with it the link token); false when it is unknown.</summary>
    Task<bool> DropAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="error"/> as the entry's last error; unknown identifiers are ignored.</summary>
    Task RecordErrorAsync(string id, string error, CancellationToken cancellationToken = default);
}
