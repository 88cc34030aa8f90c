namespace Keyserver.Contracts.Verification;

/// <summary>An outbox and the admin view of the same queue, opened together.</summary>
/// <param name="Outbox">The queue the worker uses.</param>
/// <param name="Admin">The console's view of it.</param>
public sealed record MailQueue(IMailOutbox Outbox, IMailQueueAdmin Admin);

/// <summary>What every <see cref="IMailQueueAdmin"/> must do with the entries of its <see cref="IMailOutbox"/>.</summary>
public abstract class MailQueueAdminContractTests(StoreBackend<MailQueue> backend) : StoreContract<MailQueue>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    protected IMailOutbox Outbox => Opened.Outbox;

    protected IMailQueueAdmin Admin => Opened.Admin;

    private static MailRequest Mail(string to) => new(MailKind.Verify, to, "AB".PadRight(40, '0'), $"Someone <{to}>", "secret-token-" + to, Now.AddDays(3));

    [Fact]
    public async Task List_EveryEntryEarliestFirst_WithoutToken()
    {
        var late = await Outbox.EnqueueAsync(Mail("late@example.org"), Now.AddMinutes(5));
        var early = await Outbox.EnqueueAsync(Mail("early@example.org"), Now);

        var entries = await Admin.ListAsync(10);

        Assert.Equal([early, late], entries.Select(e => e.Id));
        Assert.Equal(new MailQueueEntry(early, MailKind.Verify, "early@example.org", "AB".PadRight(40, '0'), 0, Now, Now.AddDays(3), null), entries[0]);
        Assert.DoesNotContain("secret-token", entries[0].ToString(), StringComparison.Ordinal);
        Assert.Single(await Admin.ListAsync(1));
    }

    [Fact]
    public async Task RecordError_KeptWithAttempts_LongErrorCut()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);
        await Outbox.RescheduleAsync(id, Now.AddMinutes(1));
        await Admin.RecordErrorAsync(id, "550 mailbox unavailable");

        var entry = Assert.Single(await Admin.ListAsync(10));
        Assert.Equal(1, entry.Attempts);
        Assert.Equal("550 mailbox unavailable", entry.LastError);
        Assert.False(entry.IsFailed);

        await Admin.RecordErrorAsync(id, new string('x', 5000));
        Assert.InRange(Assert.Single(await Admin.ListAsync(10)).LastError!.Length, 1, 1000);
        await Admin.RecordErrorAsync("unknown", "ignored");
    }

    [Fact]
    public async Task RetryNow_MakesEntryDue_UnknownFalse()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);
        await Outbox.RescheduleAsync(id, Now.AddDays(4));
        Assert.True(Assert.Single(await Admin.ListAsync(10)).IsFailed);
        Assert.Empty(await Outbox.TakeDueAsync(Now.AddMinutes(1), 10));

        Assert.True(await Admin.RetryNowAsync(id, Now.AddMinutes(1)));

        Assert.Equal(id, Assert.Single(await Outbox.TakeDueAsync(Now.AddMinutes(1), 10)).Id);
        Assert.False(await Admin.RetryNowAsync("unknown", Now));
    }

    [Fact]
    public async Task Drop_RemovesOnlyThatEntry_SecondDropFalse()
    {
        var drop = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);
        var keep = await Outbox.EnqueueAsync(Mail("b@example.org"), Now);

        Assert.True(await Admin.DropAsync(drop));
        Assert.False(await Admin.DropAsync(drop));

        Assert.Equal(keep, Assert.Single(await Outbox.TakeDueAsync(Now, 10)).Id);
    }
}
