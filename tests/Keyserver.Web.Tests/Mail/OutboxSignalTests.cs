namespace Keyserver.Web.Tests.Mail;

public sealed class OutboxSignalTests
{
    [Fact]
    public async Task Wait_TimedOutBefore_NextNotifyStillWakesTheNextWait()
    {
        var signal = new OutboxSignal();
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None));

        signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Notify_ManyTimes_OneWakeUp()
    {
        var signal = new OutboxSignal();

        for (var i = 0; i < 100; i++)
        {
            signal.Notify();
        }

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }
}
