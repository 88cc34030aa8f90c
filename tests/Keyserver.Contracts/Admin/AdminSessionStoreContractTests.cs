namespace Keyserver.Contracts.Admin;

/// <summary>What every <see cref="IAdminSessionStore"/> must do, written against the interface only.</summary>
public abstract class AdminSessionStoreContractTests(StoreBackend<IAdminSessionStore> backend) : StoreContract<IAdminSessionStore>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    protected IAdminSessionStore Store => Opened;

    private static AdminSession Session(string hash, TimeSpan? idle = null) =>
        new(hash, "admin@example.org", [1, 2, 3, (byte)hash.Length], Now, Now, Now + (idle ?? TimeSpan.FromHours(8)));

    [Fact]
    public async Task Create_ThenFind_RoundTripsEveryField()
    {
        var session = Session("S1");
        await Store.CreateAsync(session);

        Assert.Equal(session, await Store.FindAsync("S1"));
        Assert.Null(await Store.FindAsync("S2"));
    }

    [Fact]
    public async Task Touch_Known_ReplacesTicketAndTimes()
    {
        await Store.CreateAsync(Session("S1"));

        Assert.True(await Store.TouchAsync("S1", [9, 9], Now.AddHours(1), Now.AddHours(9)));

        var found = await Store.FindAsync("S1");
        Assert.Equal(Session("S1") with { Ticket = [9, 9], LastSeen = Now.AddHours(1), Expires = Now.AddHours(9) }, found);
    }

    [Fact]
    public async Task Touch_Unknown_FalseAndNothingCreated()
    {
        Assert.False(await Store.TouchAsync("S1", [1], Now, Now.AddHours(8)));

        Assert.Null(await Store.FindAsync("S1"));
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatSession_SecondDeleteFalse()
    {
        await Store.CreateAsync(Session("S1"));
        await Store.CreateAsync(Session("S2"));

        Assert.True(await Store.DeleteAsync("S1"));
        Assert.False(await Store.DeleteAsync("S1"));

        Assert.Null(await Store.FindAsync("S1"));
        Assert.NotNull(await Store.FindAsync("S2"));
        Assert.False(await Store.TouchAsync("S1", [1], Now, Now.AddHours(8)));
    }

    [Fact]
    public async Task PurgeExpired_RemovesExpiredAndDueNow_KeepsTheRest()
    {
        await Store.CreateAsync(Session("OLD", TimeSpan.FromHours(1)));
        await Store.CreateAsync(Session("EDGE", TimeSpan.FromHours(2)));
        await Store.CreateAsync(Session("NEW", TimeSpan.FromHours(8)));

        Assert.Equal(2, await Store.PurgeExpiredAsync(Now.AddHours(2)));

        Assert.Null(await Store.FindAsync("OLD"));
        Assert.Null(await Store.FindAsync("EDGE"));
        Assert.NotNull(await Store.FindAsync("NEW"));
    }

    [Fact]
    public async Task Sessions_AfterReopen_Kept()
    {
        await Store.CreateAsync(Session("S1"));
        await Store.TouchAsync("S1", [7], Now.AddMinutes(5), Now.AddHours(9));

        CloseStore();

        var found = await Store.FindAsync("S1");
        Assert.NotNull(found);
        Assert.Equal([7], found.Ticket);
        Assert.Equal(Now.AddHours(9), found.Expires);
    }

    [Fact]
    public async Task TouchAndDelete_Concurrent_DeletedSessionStaysDeleted()
    {
        var store = Store;
        await store.CreateAsync(Session("S1"));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => i == 16
            ? store.DeleteAsync("S1")
            : store.TouchAsync("S1", [(byte)i], Now.AddMinutes(i), Now.AddHours(8)))));

        Assert.Null(await store.FindAsync("S1"));
    }
}
