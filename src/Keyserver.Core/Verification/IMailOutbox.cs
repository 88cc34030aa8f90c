namespace Keyserver.Core.Verification;

/// <summary>The kind of message a mail request asks for.</summary>
public enum MailKind
{
    /// <summary>"Confirm that this key may be found by your address."</summary>
    Verify,

    /// <summary>"Here is a link to manage the keys of your address."</summary>
    Manage,

    /// <summary>"Here is your link to sign in to the admin console."</summary>
    AdminSignIn,
}

/// <summary>A mail to compose and send. Holds the secret link token until the mail is sent.</summary>
/// <param name="Kind">Which message.</param>
/// <param name="To">The recipient address.</param>
/// <param name="Fingerprint">The key the mail is about; null for <see cref="MailKind.Manage"/>.</param>
/// <param name="UserId">The identity to confirm; null for <see cref="MailKind.Manage"/>.</param>
/// <param name="Token">The link token (the only place it exists in clear until the mail leaves).</param>
/// <param name="Expires">When the link stops working.</param>
public sealed record MailRequest(MailKind Kind, string To, string? Fingerprint, string? UserId, string Token, DateTimeOffset Expires);

/// <summary>A queued mail and its delivery attempts.</summary>
/// <param name="Id">Identifier of the entry in the outbox.</param>
/// <param name="Mail">What to send.</param>
/// <param name="Attempts">Failed delivery attempts so far.</param>
/// <param name="NextAttempt">When the next attempt is due.</param>
public sealed record OutboxEntry(string Id, MailRequest Mail, int Attempts, DateTimeOffset NextAttempt);

/// <summary>
/// The durable mail queue: a mail is stored before the request that caused it is answered, and sent
/// later by a background worker that retries while the mail server is down. Writes are durable
/// before the task completes, so a restart loses nothing.
/// </summary>
public interface IMailOutbox
{
    /// <summary>Queues a mail, due at once. Returns the entry's identifier.</summary>
    Task<string> EnqueueAsync(MailRequest mail, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> entries due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes a delivered entry (with it the clear-text token). Unknown identifiers are ignored.</summary>
    Task MarkSentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt: one more attempt, next try at <paramref name="nextAttempt"/>.</summary>
    Task RescheduleAsync(string id, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default);

    /// <summary>When the earliest queued entry is due, or null when the outbox is empty.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);
}
