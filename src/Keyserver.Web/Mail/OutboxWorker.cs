using Keyserver.Core.Verification;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Mail;

/// <summary>
/// Sends queued mail: takes due entries, composes and delivers each, and removes it once delivered.
/// A failed delivery is retried with exponential back-off (Mail:RetryInitialDelay doubling up to
/// Mail:RetryMaxDelay); a mail whose link has expired is dropped. Logs never name the recipient
/// above Debug: addresses are personal data.
/// </summary>
internal sealed partial class OutboxWorker(
    IMailOutbox outbox,
    MailComposer composer,
    IMailDelivery delivery,
    OutboxSignal signal,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger,
    Observability.KeyserverMetrics? metrics = null,
    IMailQueueAdmin? queueAdmin = null) : BackgroundService
{
    private const int BatchSize = 20;

    // How long a claimed mail stays hidden from the other instances on a shared store: longer than any
    // SMTP attempt takes; a mail whose sender died goes out again after it.
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    // Bounds the wait when nothing is due, so mail queued by another path is never stuck for long.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
                var next = await outbox.NextDueAsync(stoppingToken);
                var wait = next is { } due ? due - time.GetUtcNow() : PollInterval;
                wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > PollInterval ? PollInterval : wait;
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store itself failed; keep the worker alive and try again after a pause.
                LogOutboxFailed(ex);
                await Task.Delay(options.Value.RetryInitialDelay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Sends every entry due now; returns how many were delivered.</summary>
    internal async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (true)
        {
            // Claimed, not just read, where the store can: other instances may be draining the same outbox.
            var due = outbox is IMailOutboxClaims claims
                ? await claims.ClaimDueAsync(time.GetUtcNow(), BatchSize, ClaimLease, cancellationToken)
                : await outbox.TakeDueAsync(time.GetUtcNow(), BatchSize, cancellationToken);
            if (due.Count == 0)
            {
                return sent;
            }

            var retrying = 0;
            foreach (var entry in due)
            {
                switch (await SendOneAsync(entry, cancellationToken))
                {
                    case Attempt.Sent:
                        sent++;
                        break;
                    case Attempt.Retrying:
                        retrying++;
                        break;
                }
            }

            // Everything in this batch was rescheduled into the future: nothing more is due now.
            if (retrying == due.Count)
            {
                return sent;
            }
        }
    }

    private async Task<Attempt> SendOneAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entry.Mail.Expires <= now)
        {
            LogExpired(entry.Id, entry.Mail.Kind, entry.Mail.Fingerprint);
            metrics?.RecordMail("failed");
            await outbox.MarkSentAsync(entry.Id, cancellationToken);
            return Attempt.Dropped;
        }

        MimeKit.MimeMessage message;
        try
        {
            message = composer.Compose(entry.Mail);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or MimeKit.ParseException)
        {
            // A message that cannot be built now never will be: retrying would only repeat the error.
            LogUncomposable(ex, entry.Id, entry.Mail.Kind);
            metrics?.RecordMail("failed");
            await outbox.MarkSentAsync(entry.Id, cancellationToken);
            return Attempt.Dropped;
        }

        try
        {
            await delivery.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var delay = options.Value.RetryDelay(entry.Attempts + 1);
            LogRetry(ex, entry.Id, entry.Mail.Kind, entry.Attempts + 1, delay);
            metrics?.RecordMail("retried");
            await outbox.RescheduleAsync(entry.Id, now + delay, cancellationToken);
            // The admin console's mail queue shows why a mail is still waiting.
            await (queueAdmin?.RecordErrorAsync(entry.Id, ex.Message.ReplaceLineEndings(" "), cancellationToken) ?? Task.CompletedTask);
            return Attempt.Retrying;
        }

        // Not cancellable: once delivered, the entry must go even when the host is stopping.
        await outbox.MarkSentAsync(entry.Id, CancellationToken.None);
        LogSent(entry.Id, entry.Mail.Kind, entry.Mail.Fingerprint);
        metrics?.RecordMail("sent");
        LogSentTo(entry.Id, entry.Mail.To);
        return Attempt.Sent;
    }

    private enum Attempt
    {
        Sent,
        Dropped,
        Retrying,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {MailId} ({Kind}) for key {Fingerprint} sent")]
    private partial void LogSent(string mailId, MailKind kind, string? fingerprint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mail {MailId} went to {Recipient}")]
    private partial void LogSentTo(string mailId, string recipient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} ({Kind}) not delivered, attempt {Attempt}; next try in {Delay}")]
    private partial void LogRetry(Exception exception, string mailId, MailKind kind, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {MailId} ({Kind}) for key {Fingerprint} dropped: its link expired before delivery")]
    private partial void LogExpired(string mailId, MailKind kind, string? fingerprint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MailId} ({Kind}) dropped: it cannot be composed")]
    private partial void LogUncomposable(Exception exception, string mailId, MailKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail outbox could not be read or written")]
    private partial void LogOutboxFailed(Exception exception);
}
