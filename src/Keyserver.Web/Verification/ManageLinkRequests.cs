using System.Threading.Channels;
using Keyserver.Core.Verification;

namespace Keyserver.Web.Verification;

/// <summary>
/// Manage-link requests, answered at once and worked off in the background: looking an address up
/// and mailing it takes longer than doing nothing, and a page that waited for it would tell a
/// stranger by its timing which addresses are known here.
/// </summary>
internal sealed partial class ManageLinkRequests(VerificationService verification, ILogger<ManageLinkRequests> logger) : BackgroundService
{
    // Bounded: a flood of requests drops the newest rather than growing memory. Each one would be
    // refused by the mail budgets anyway.
    private readonly Channel<(string? Address, string? Client)> _queue =
        Channel.CreateBounded<(string?, string?)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(string? address, string? client) => _queue.Writer.TryWrite((address, client));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (address, client) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await verification.RequestManageLinkAsync(address, client, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: requests not yet worked off are dropped, as a lost mail would be.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A manage-link request failed")]
    private partial void LogFailed(Exception exception);
}
