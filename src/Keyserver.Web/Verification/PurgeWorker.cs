using Keyserver.Core.Storage;
using Keyserver.Core.Verification;

namespace Keyserver.Web.Verification;

/// <summary>
/// Runs <see cref="VerificationService.PurgeAsync"/> and the audit log's retention at start-up and
/// then every hour; on a store shared by several instances (<see cref="IExclusiveWork"/>) only on the
/// one that holds the claim.
/// </summary>
internal sealed partial class PurgeWorker(
    VerificationService verification, TimeProvider time, ILogger<PurgeWorker> logger, Control.AuditRetention? audit = null, IExclusiveWork? exclusive = null)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPurgeFailed(ex);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var claim = exclusive is null ? null : await exclusive.TryAcquireAsync("verification-purge", cancellationToken);
        if (exclusive is not null && claim is null)
        {
            LogPurgeElsewhere();
            return;
        }

        try
        {
            LogPurged(await verification.PurgeAsync(cancellationToken));
            if (audit is not null)
            {
                LogAuditPurged(await audit.PurgeAsync(cancellationToken));
            }
        }
        finally
        {
            if (claim is not null)
            {
                await claim.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Verification purge skipped: another instance on the shared store is running it")]
    private partial void LogPurgeElsewhere();

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification purge removed {Count} expired tokens, throttle entries and unconfirmed keys")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit purge removed {Count} entries older than Audit:RetentionDays")]
    private partial void LogAuditPurged(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Verification purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
