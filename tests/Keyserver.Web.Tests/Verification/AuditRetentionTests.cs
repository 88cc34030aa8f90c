using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Web.Control;

namespace Keyserver.Web.Tests.Verification;

public sealed class AuditRetentionTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LiteDbContext _context;
    private readonly LiteDbAuditLog _log;

    public AuditRetentionTests()
    {
        _context = new LiteDbContext(_directory.File(LiteDbContext.DefaultFileName));
        _log = new LiteDbAuditLog(_context);
    }

    public void Dispose()
    {
        _context.Dispose();
        _directory.Dispose();
    }

    private async Task<int> PurgeAsync(int days)
    {
        var now = DateTimeOffset.UtcNow;
        await _log.AppendAsync(new AuditEntry(now.AddDays(-400), AuditActors.Cli, AuditActions.Block, null, "old.example", "done"));
        await _log.AppendAsync(new AuditEntry(now.AddDays(-2), AuditActors.Cli, AuditActions.Block, null, "recent.example", "done"));
        var retention = new AuditRetention(_log, Microsoft.Extensions.Options.Options.Create(new AuditOptions { RetentionDays = days }), TimeProvider.System);
        return await retention.PurgeAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Purge_Default_RemovesEntriesOlderThanAYear()
    {
        Assert.Equal(1, await PurgeAsync(new AuditOptions().RetentionDays));

        Assert.Equal("recent.example", Assert.Single((await _log.QueryAsync(new AuditQuery(), 0, 10)).Entries).Address);
    }

    [Fact]
    public async Task Purge_Zero_KeepsEverything()
    {
        Assert.Equal(0, await PurgeAsync(0));

        Assert.Equal(2, (await _log.QueryAsync(new AuditQuery(), 0, 10)).Total);
    }
}
