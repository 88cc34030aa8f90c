namespace Keyserver.Contracts.Verification;

/// <summary>What every <see cref="IMailOutbox"/> must do, written against the interface only.</summary>
public abstract class MailOutboxContractTests(StoreBackend<IMailOutbox> backend) : StoreContract<IMailOutbox>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    protected IMailOutbox Outbox => Opened;

    private static MailRequest Mail(string to, MailKind kind = MailKind.Verify) =>
        new(kind, to, kind == MailKind.Verify ? "AB".PadRight(40, '0') : null, kind == MailKind.Verify ? $"Someone <{to}>" : null,
            "token-" + to, Now.AddDays(3));

    [Fact]
    public async Task Enqueue_ThenTakeDue_RoundTripsTheMail()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);

        var entry = Assert.Single(await Outbox.TakeDueAsync(Now, 10));

        Assert.Equal(id, entry.Id);
        Assert.Equal(Mail("a@example.org"), entry.Mail);
        Assert.Equal(0, entry.Attempts);
        Assert.Equal(Now, entry.NextAttempt);
    }

    [Fact]
    public async Task Enqueue_ManageMail_NullFieldsRoundTrip()
    {
        await Outbox.EnqueueAsync(Mail("a@example.org", MailKind.Manage), Now);

        Assert.Equal(Mail("a@example.org", MailKind.Manage), Assert.Single(await Outbox.TakeDueAsync(Now, 10)).Mail);
    }

    [Fact]
    public async Task TakeDue_EarliestFirstUpToMax_NotYetDueLeftOut()
    {
        await Outbox.EnqueueAsync(Mail("late@example.org"), Now.AddMinutes(2));
        await Outbox.EnqueueAsync(Mail("first@example.org"), Now);
        await Outbox.EnqueueAsync(Mail("second@example.org"), Now.AddMinutes(1));
        await Outbox.EnqueueAsync(Mail("future@example.org"), Now.AddHours(1));

        var due = await Outbox.TakeDueAsync(Now.AddMinutes(5), 2);

        Assert.Equal(["first@example.org", "second@example.org"], due.Select(e => e.Mail.To));
        Assert.Equal(3, (await Outbox.TakeDueAsync(Now.AddMinutes(5), 10)).Count);
    }

    [Fact]
    public async Task MarkSent_RemovesEntry_UnknownIgnored()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);

        await Outbox.MarkSentAsync(id);
        await Outbox.MarkSentAsync("unknown");

        Assert.Empty(await Outbox.TakeDueAsync(Now.AddYears(1), 10));
        Assert.Null(await Outbox.NextDueAsync());
    }

    [Fact]
    public async Task Reschedule_CountsAttemptAndDefersEntry()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);

        await Outbox.RescheduleAsync(id, Now.AddMinutes(1));
        await Outbox.RescheduleAsync(id, Now.AddMinutes(3));

        Assert.Empty(await Outbox.TakeDueAsync(Now.AddMinutes(2), 10));
        var entry = Assert.Single(await Outbox.TakeDueAsync(Now.AddMinutes(3), 10));
        Assert.Equal(2, entry.Attempts);
        Assert.Equal(Now.AddMinutes(3), await Outbox.NextDueAsync());
    }

    [Fact]
    public async Task Entries_AfterReopen_KeptWithAttempts()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);
        await Outbox.RescheduleAsync(id, Now.AddMinutes(1));
        await Outbox.EnqueueAsync(Mail("b@example.org"), Now);

        CloseStore();

        var due = await Outbox.TakeDueAsync(Now.AddMinutes(1), 10);
        Assert.Equal(2, due.Count);
        Assert.Equal(1, due.Single(e => e.Id == id).Attempts);
    }
}
