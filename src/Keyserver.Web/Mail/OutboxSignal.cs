using Keyserver.Core.Verification;

namespace Keyserver.Web.Mail;

/// <summary>Wakes the outbox worker when a mail is queued, so it goes out without waiting for the next poll.</summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _queued = new(0, 1);

    public void Notify()
    {
        try
        {
            _queued.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every mail queued since.
        }
    }

    /// <summary>Waits until notified (true) or <paramref name="timeout"/> passes (false).</summary>
    /// <remarks>One wait with a timeout, not a race of two tasks: a losing semaphore wait would linger and swallow the next signal.</remarks>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _queued.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// The durable outbox, signalling the worker after each mail is stored. With <paramref name="shared"/>
/// (a store several instances drain) the worker claims mail with a lease; one process alone takes it
/// plainly, so that a stop in the middle of a batch leaves nothing hidden behind a lease.
/// </summary>
internal sealed class NotifyingMailOutbox(IMailOutbox inner, OutboxSignal signal, Observability.KeyserverMetrics? metrics = null, bool shared = false) : IMailOutbox, IMailOutboxClaims
{
    public async Task<string> EnqueueAsync(MailRequest mail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var id = await inner.EnqueueAsync(mail, now, cancellationToken);
        signal.Notify();
        metrics?.RecordMail("queued");
        return id;
    }

    public Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.TakeDueAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default) =>
        shared && inner is IMailOutboxClaims claims
            ? claims.ClaimDueAsync(now, max, lease, cancellationToken)
            : inner.TakeDueAsync(now, max, cancellationToken);

    public Task MarkSentAsync(string id, CancellationToken cancellationToken = default) => inner.MarkSentAsync(id, cancellationToken);

    public Task RescheduleAsync(string id, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default) =>
        inner.RescheduleAsync(id, nextAttempt, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) => inner.NextDueAsync(cancellationToken);
}
