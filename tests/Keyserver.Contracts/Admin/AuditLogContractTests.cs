namespace Keyserver.Contracts.Admin;

/// <summary>What every <see cref="IAuditLog"/> must do, written against the interface only.</summary>
public abstract class AuditLogContractTests(StoreBackend<IAuditLog> backend) : StoreContract<IAuditLog>(backend)
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);

    private const string Fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";

    protected IAuditLog Log => Opened;

    private static AuditEntry Entry(int minutes, string action = AuditActions.Block, string actor = AuditActors.Cli, string? fingerprint = null, string? address = null) =>
        new(Now.AddMinutes(minutes), actor, action, fingerprint, address, "done");

    [Fact]
    public async Task Append_ThenQuery_RoundTripsEveryField()
    {
        var entry = new AuditEntry(Now, "admin@example.org", AuditActions.Delete, Fingerprint, "a@example.org", "deleted, revocation kept");

        await Log.AppendAsync(entry);

        var page = await Log.QueryAsync(new AuditQuery(), 0, 10);
        Assert.Equal(entry, Assert.Single(page.Entries));
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task Query_NewestFirst_PagedWithTotal()
    {
        for (var i = 0; i < 5; i++)
        {
            await Log.AppendAsync(Entry(i, outcomeAction(i)));
        }

        var page = await Log.QueryAsync(new AuditQuery(), 1, 2);

        Assert.Equal(5, page.Total);
        Assert.Equal([Now.AddMinutes(3), Now.AddMinutes(2)], page.Entries.Select(e => e.Time));

        static string outcomeAction(int i) => i % 2 == 0 ? AuditActions.Block : AuditActions.Unblock;
    }

    [Fact]
    public async Task Query_SameTime_KeepsAppendOrder()
    {
        await Log.AppendAsync(Entry(0, AuditActions.Block));
        await Log.AppendAsync(Entry(0, AuditActions.Delete));
        await Log.AppendAsync(Entry(0, AuditActions.Unblock));

        var newestFirst = (await Log.QueryAsync(new AuditQuery(), 0, 10)).Entries.Select(e => e.Action);

        Assert.Equal([AuditActions.Unblock, AuditActions.Delete, AuditActions.Block], newestFirst);
    }

    [Fact]
    public async Task Query_Filters_ActorActionTargetAndTimeRange()
    {
        await Log.AppendAsync(Entry(0, AuditActions.Block, AuditActors.Cli, fingerprint: Fingerprint));
        await Log.AppendAsync(Entry(1, AuditActions.Publish, AuditActors.Owner, fingerprint: Fingerprint, address: "a@example.org"));
        await Log.AppendAsync(Entry(2, AuditActions.Block, "admin@example.org", address: "b@example.org"));
        await Log.AppendAsync(Entry(3, AuditActions.Delete, AuditActors.Cli, fingerprint: Fingerprint));

        async Task<IEnumerable<int>> Minutes(AuditQuery query) =>
            (await Log.QueryAsync(query, 0, 10)).Entries.Select(e => (int)(e.Time - Now).TotalMinutes);

        Assert.Equal([3, 0], await Minutes(new AuditQuery(Actor: AuditActors.Cli)));
        Assert.Equal([2, 0], await Minutes(new AuditQuery(Action: AuditActions.Block)));
        Assert.Equal([3, 1, 0], await Minutes(new AuditQuery(Target: Fingerprint.ToLowerInvariant())));
        Assert.Equal([1], await Minutes(new AuditQuery(Target: "A@Example.org")));
        Assert.Equal([2, 1], await Minutes(new AuditQuery(From: Now.AddMinutes(1), Until: Now.AddMinutes(3))));
        Assert.Equal([0], await Minutes(new AuditQuery(Actor: AuditActors.Cli, Action: AuditActions.Block, Target: Fingerprint)));
        Assert.Empty(await Minutes(new AuditQuery(Actor: "nobody")));
    }

    [Fact]
    public async Task Query_HostileFilterText_MatchesNothing()
    {
        await Log.AppendAsync(Entry(0));

        var page = await Log.QueryAsync(new AuditQuery(Actor: "cli' OR 1=1 --", Target: "\" OR true OR \""), 0, 10);

        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task Export_OldestFirst_FilteredAndPastOneBatch()
    {
        for (var i = 600; i > 0; i--)
        {
            await Log.AppendAsync(Entry(i % 300, i % 2 == 0 ? AuditActions.Block : AuditActions.Delete));
        }

        var all = new List<AuditEntry>();
        await foreach (var entry in Log.ExportAsync(new AuditQuery(Action: AuditActions.Block)))
        {
            all.Add(entry);
        }

        Assert.Equal(300, all.Count);
        Assert.All(all, e => Assert.Equal(AuditActions.Block, e.Action));
        Assert.Equal(all.OrderBy(e => e.Time).Select(e => e.Time), all.Select(e => e.Time));
    }

    [Fact]
    public async Task Purge_RemovesOnlyOlderEntries()
    {
        await Log.AppendAsync(Entry(-2));
        await Log.AppendAsync(Entry(-1));
        await Log.AppendAsync(Entry(0));
        await Log.AppendAsync(Entry(1));

        Assert.Equal(2, await Log.PurgeAsync(Now));

        Assert.Equal([Now.AddMinutes(1), Now], (await Log.QueryAsync(new AuditQuery(), 0, 10)).Entries.Select(e => e.Time));
    }

    [Fact]
    public async Task Entries_AfterReopen_Kept()
    {
        await Log.AppendAsync(Entry(0, fingerprint: Fingerprint));

        CloseStore();

        Assert.Equal(Fingerprint, Assert.Single((await Log.QueryAsync(new AuditQuery(), 0, 10)).Entries).Fingerprint);
    }
}
