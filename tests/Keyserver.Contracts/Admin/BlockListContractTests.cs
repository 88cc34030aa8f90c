namespace Keyserver.Contracts.Admin;

/// <summary>What every <see cref="IBlockList"/> must do, written against the interface only.</summary>
public abstract class BlockListContractTests(StoreBackend<IBlockList> backend) : StoreContract<IBlockList>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);

    private const string Fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";

    protected IBlockList Blocks => Opened;

    private static BlockEntry Entry(BlockTarget target, string? reason = null) => new(target, Now, "cli", reason);

    [Fact]
    public async Task Add_ThenGet_RoundTripsEveryField()
    {
        var entry = Entry(BlockTarget.Address("Spam@Example.org")!, "spam");

        Assert.True(await Blocks.AddAsync(entry));

        Assert.Equal(entry, await Blocks.GetAsync(BlockTarget.Address("spam@example.org")!));
    }

    [Fact]
    public async Task Add_Twice_KeepsFirstAndSaysSo()
    {
        var target = BlockTarget.Domain("example.org")!;
        Assert.True(await Blocks.AddAsync(Entry(target, "first")));

        Assert.False(await Blocks.AddAsync(new BlockEntry(target, Now.AddHours(1), "admin@example.org", "second")));

        Assert.Equal("first", (await Blocks.GetAsync(target))!.Reason);
    }

    [Fact]
    public async Task Get_SameValueOtherKind_NotFound()
    {
        await Blocks.AddAsync(Entry(BlockTarget.Domain("example.org")!));

        Assert.Null(await Blocks.GetAsync(BlockTarget.Address("example.org@example.org")!));
        Assert.Null(await Blocks.GetAsync(BlockTarget.Domain("mail.example.org")!));
    }

    [Fact]
    public async Task Remove_DeletesOnlyThatBlock_UnknownIsFalse()
    {
        await Blocks.AddAsync(Entry(BlockTarget.Fingerprint(Fingerprint)!));
        await Blocks.AddAsync(Entry(BlockTarget.Domain("example.org")!));

        Assert.True(await Blocks.RemoveAsync(BlockTarget.Fingerprint(Fingerprint.ToLowerInvariant())!));
        Assert.False(await Blocks.RemoveAsync(BlockTarget.Fingerprint(Fingerprint)!));

        Assert.Null(await Blocks.GetAsync(BlockTarget.Fingerprint(Fingerprint)!));
        Assert.NotNull(await Blocks.GetAsync(BlockTarget.Domain("EXAMPLE.org")!));
    }

    [Fact]
    public async Task List_OrderedByKindThenValue()
    {
        await Blocks.AddAsync(Entry(BlockTarget.Domain("b.example")!));
        await Blocks.AddAsync(Entry(BlockTarget.Address("z@example.org")!));
        await Blocks.AddAsync(Entry(BlockTarget.Domain("a.example")!));
        await Blocks.AddAsync(Entry(BlockTarget.Fingerprint(Fingerprint)!));
        await Blocks.AddAsync(Entry(BlockTarget.Address("a@example.org")!));

        var list = await Blocks.ListAsync();

        Assert.Equal(
            ["fingerprint " + Fingerprint, "address a@example.org", "address z@example.org", "domain a.example", "domain b.example"],
            list.Select(e => e.Target.ToString()));
    }

    [Fact]
    public async Task FindAddressBlock_DomainCoversSubdomainsAndAddresses()
    {
        await Blocks.AddAsync(Entry(BlockTarget.Domain("example.org")!));
        await Blocks.AddAsync(Entry(BlockTarget.Address("one@example.net")!));

        Assert.Equal("example.org", (await Blocks.FindAddressBlockAsync("a@mail.EXAMPLE.org"))!.Target.Value);
        Assert.Equal("one@example.net", (await Blocks.FindAddressBlockAsync("One@example.net"))!.Target.Value);
        Assert.Null(await Blocks.FindAddressBlockAsync("two@example.net"));
        Assert.Null(await Blocks.FindAddressBlockAsync("a@notexample.org"));
    }

    [Fact]
    public async Task FindAddressBlock_UnicodeDomain_MatchesItsIdnaForm()
    {
        await Blocks.AddAsync(Entry(BlockTarget.Domain("xn--bcher-kva.example")!));

        Assert.NotNull(await Blocks.FindAddressBlockAsync("anna@bücher.example"));
    }

    [Fact]
    public async Task Blocks_AfterReopen_Kept()
    {
        await Blocks.AddAsync(Entry(BlockTarget.Fingerprint(Fingerprint)!, "abuse"));

        CloseStore();

        Assert.Equal("abuse", (await Blocks.FindFingerprintBlockAsync(Fingerprint.ToLowerInvariant()))!.Reason);
    }
}
