namespace Keyserver.Core.Verification;

/// <summary>
/// An outbox that several senders may drain at once: a claimed entry is hidden from other senders for
/// a lease, so each mail is handed to one sender; a sender that dies before it marks the mail sent or
/// reschedules it loses the claim when the lease runs out, and another sender takes the mail then.
/// </summary>
public interface IMailOutboxClaims
{
    /// <summary>
    /// Claims up to <paramref name="max"/> entries due at <paramref name="now"/>, earliest first: each
    /// becomes due again only at <paramref name="now"/> + <paramref name="lease"/> unless it is marked
    /// sent or rescheduled before. The entries carry the due time they had when claimed.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default);
}
