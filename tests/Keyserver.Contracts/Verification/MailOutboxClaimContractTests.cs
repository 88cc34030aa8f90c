using System.Collections.Concurrent;

namespace Keyserver.Contracts.Verification;

/// <summary>
/// What every outbox that several senders may drain (<see cref="IMailOutboxClaims"/>) must do: a claimed
/// mail goes to one sender, and comes back when the claim's lease runs out (a sender that died).
/// </summary>
public abstract class MailOutboxClaimContractTests(StoreBackend<IMailOutbox> backend) : StoreContract<IMailOutbox>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected IMailOutbox Outbox => Opened;

    private IMailOutboxClaims Claims => Assert.IsAssignableFrom<IMailOutboxClaims>(Opened);

    private static MailRequest Mail(string to) => new(MailKind.Verify, to, "AB".PadRight(40, '0'), $"Someone <{to}>", "token-" + to, Now.AddDays(3));

    [Fact]
    public async Task Claim_EarliestFirstUpToMax_CarriesTheDueTime()
    {
        await Outbox.EnqueueAsync(Mail("second@example.org"), Now.AddMinutes(1));
        await Outbox.EnqueueAsync(Mail("first@example.org"), Now);
        await Outbox.EnqueueAsync(Mail("third@example.org"), Now.AddMinutes(2));

        var claimed = await Claims.ClaimDueAsync(Now.AddMinutes(3), 2, Lease);

        Assert.Equal(["first@example.org", "second@example.org"], claimed.Select(e => e.Mail.To));
        Assert.Equal([Now, Now.AddMinutes(1)], claimed.Select(e => e.NextAttempt));
        Assert.Equal(Mail("first@example.org"), claimed[0].Mail);
    }

    [Fact]
    public async Task Claim_HidesEntryUntilLeaseRunsOut()
    {
        await Outbox.EnqueueAsync(Mail("a@example.org"), Now);

        Assert.Single(await Claims.ClaimDueAsync(Now, 10, Lease));

        Assert.Empty(await Claims.ClaimDueAsync(Now.AddMinutes(1), 10, Lease));
        Assert.Empty(await Outbox.TakeDueAsync(Now.AddMinutes(1), 10));
        Assert.Equal(Now + Lease, await Outbox.NextDueAsync());
    }

    [Fact]
    public async Task Claim_SenderDiedAfterClaim_ClaimedAgainAfterLeaseWithSameAttempts()
    {
        var id = await Outbox.EnqueueAsync(Mail("a@example.org"), Now);
        await Claims.ClaimDueAsync(Now, 10, Lease);

        CloseStore();

        var again = Assert.Single(await Claims.ClaimDueAsync(Now + Lease, 10, Lease));
        Assert.Equal(id, again.Id);
        Assert.Equal(0, again.Attempts);
    }

    [Fact]
    public async Task Claim_ThenMarkSentOrReschedule_EndsTheLease()
    {
        var sent = await Outbox.EnqueueAsync(Mail("sent@example.org"), Now);
        var retried = await Outbox.EnqueueAsync(Mail("retried@example.org"), Now);
        await Claims.ClaimDueAsync(Now, 10, Lease);

        await Outbox.MarkSentAsync(sent);
        await Outbox.RescheduleAsync(retried, Now.AddMinutes(1));

        var entry = Assert.Single(await Claims.ClaimDueAsync(Now.AddMinutes(1), 10, Lease));
        Assert.Equal(retried, entry.Id);
        Assert.Equal(1, entry.Attempts);
    }

    [Fact]
    public async Task Claim_FourConcurrentSenders_EachMailClaimedOnce()
    {
        for (var i = 0; i < 40; i++)
        {
            await Outbox.EnqueueAsync(Mail($"m{i}@example.org"), Now);
        }

        var claims = Claims;
        var taken = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await claims.ClaimDueAsync(Now, 3, Lease) is { Count: > 0 } batch)
            {
                foreach (var entry in batch)
                {
                    taken.Add(entry.Id);
                }
            }
        })));

        Assert.Equal(40, taken.Count);
        Assert.Equal(40, taken.Distinct().Count());
    }

    [Fact]
    public async Task Claim_NothingDue_ReturnsEmpty()
    {
        await Outbox.EnqueueAsync(Mail("later@example.org"), Now.AddHours(1));

        Assert.Empty(await Claims.ClaimDueAsync(Now, 10, Lease));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Claims.ClaimDueAsync(Now, 10, TimeSpan.Zero));
    }
}
