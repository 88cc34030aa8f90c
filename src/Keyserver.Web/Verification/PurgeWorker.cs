using Keyserver.Core.Verification;

namespace Keyserver.Web.Verification;

/// <summary>
/// Runs <see cref="VerificationService.PurgeAsync"/> and the audit log's retention at start-up and
/// then every hour.
/// </summary>
internal sealed partial class PurgeWorker(VerificationService verification, TimeProvider time, ILogger<PurgeWorker> logger, Control.AuditRetention? audit = null)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await verification.PurgeAsync(stoppingToken);
                LogPurged(removed);
                if (audit is not null)
                {
                    LogAuditPurged(await audit.PurgeAsync(stoppingToken));
                }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification purge removed {Count} expired tokens, throttle entries and unconfirmed keys")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit purge removed {Count} entries older than Audit:RetentionDays")]
    private partial void LogAuditPurged(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Verification purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
