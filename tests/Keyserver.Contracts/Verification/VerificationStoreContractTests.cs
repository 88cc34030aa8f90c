namespace Keyserver.Contracts.Verification;

/// <summary>
/// What every <see cref="IVerificationStore"/> must do, written against the interface only. A
/// backend derives and says how to open a store in a directory; each test has its own directory.
/// </summary>
public abstract class VerificationStoreContractTests(StoreBackend<IVerificationStore> backend) : StoreContract<IVerificationStore>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    protected IVerificationStore Store => Opened;

    private static StoredToken Token(string hash, TokenPurpose purpose = TokenPurpose.Verify, TimeSpan? lifetime = null) =>
        new(hash, purpose, purpose == TokenPurpose.Manage ? null : "AB".PadRight(40, '0'), purpose == TokenPurpose.Upload ? null : "a@example.org",
            Now, Now + (lifetime ?? TimeSpan.FromDays(3)), null);

    [Fact]
    public async Task AddToken_ThenFind_RoundTripsEveryField()
    {
        var token = Token("H1");
        await Store.AddTokenAsync(token);

        Assert.Equal(token, await Store.FindTokenAsync("H1"));
    }

    [Theory]
    [InlineData(TokenPurpose.Manage)]
    [InlineData(TokenPurpose.Upload)]
    [InlineData(TokenPurpose.AdminSignIn)]
    public async Task AddToken_NullBindings_RoundTrip(TokenPurpose purpose)
    {
        var token = Token("H1", purpose);
        await Store.AddTokenAsync(token);

        Assert.Equal(token, await Store.FindTokenAsync("H1"));
    }

    [Fact]
    public async Task FindToken_Unknown_Null()
    {
        Assert.Null(await Store.FindTokenAsync("nope"));
    }

    [Fact]
    public async Task TryMarkUsed_FirstTrue_SecondFalse_UsedRecorded()
    {
        await Store.AddTokenAsync(Token("H1"));

        Assert.True(await Store.TryMarkUsedAsync("H1", Now.AddMinutes(5)));
        Assert.False(await Store.TryMarkUsedAsync("H1", Now.AddMinutes(6)));
        Assert.Equal(Now.AddMinutes(5), (await Store.FindTokenAsync("H1"))!.Used);
        Assert.False(await Store.TryMarkUsedAsync("unknown", Now));
    }

    [Fact]
    public async Task TryMarkUsed_Concurrent_ExactlyOneWins()
    {
        var store = Store;
        await store.AddTokenAsync(Token("H1"));

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.TryMarkUsedAsync("H1", Now))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task TryReserveMail_WithinInterval_False_AfterInterval_True()
    {
        var interval = TimeSpan.FromHours(1);
        Assert.True(await Store.TryReserveMailAsync("FPR", "a@example.org", Now, interval));
        Assert.False(await Store.TryReserveMailAsync("FPR", "a@example.org", Now.AddMinutes(59), interval));
        Assert.True(await Store.TryReserveMailAsync("FPR", "b@example.org", Now, interval));
        Assert.True(await Store.TryReserveMailAsync("OTHER", "a@example.org", Now, interval));
        Assert.True(await Store.TryReserveMailAsync("FPR", "a@example.org", Now.AddHours(1), interval));
    }

    [Fact]
    public async Task TryReserveMail_ThousandConcurrent_OneReserved()
    {
        var store = Store;
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            Task.Run(() => store.TryReserveMailAsync("FPR", "a@example.org", Now, TimeSpan.FromHours(1)))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task State_AfterReopen_Kept()
    {
        await Store.AddTokenAsync(Token("H1"));
        await Store.TryMarkUsedAsync("H1", Now);
        await Store.TryReserveMailAsync("FPR", "a@example.org", Now, TimeSpan.FromHours(1));

        CloseStore();

        Assert.NotNull((await Store.FindTokenAsync("H1"))!.Used);
        Assert.False(await Store.TryReserveMailAsync("FPR", "a@example.org", Now.AddMinutes(1), TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Purge_RemovesExpiredTokensAndOldThrottles_KeepsTheRest()
    {
        await Store.AddTokenAsync(Token("OLD", lifetime: TimeSpan.FromHours(1)));
        await Store.AddTokenAsync(Token("NEW", lifetime: TimeSpan.FromDays(3)));
        await Store.TryReserveMailAsync("FPR", "old@example.org", Now, TimeSpan.FromHours(1));
        await Store.TryReserveMailAsync("FPR", "new@example.org", Now.AddHours(2), TimeSpan.FromHours(1));

        var removed = await Store.PurgeAsync(Now.AddHours(2), Now.AddHours(1));

        Assert.Equal(2, removed);
        Assert.Null(await Store.FindTokenAsync("OLD"));
        Assert.NotNull(await Store.FindTokenAsync("NEW"));
        Assert.True(await Store.TryReserveMailAsync("FPR", "old@example.org", Now.AddHours(2), TimeSpan.FromHours(1)));
        Assert.False(await Store.TryReserveMailAsync("FPR", "new@example.org", Now.AddHours(2), TimeSpan.FromHours(1)));
    }
}
