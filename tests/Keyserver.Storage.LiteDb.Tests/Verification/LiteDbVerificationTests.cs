using Keyserver.Contracts.Verification;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Verification;

public sealed class LiteDbVerificationStoreTests : VerificationStoreContractTests
{
    private LiteDbContext? _context;

    protected override IVerificationStore Open(string dataDirectory)
    {
        _context = new LiteDbContext(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));
        return new LiteDbVerificationStore(_context);
    }

    protected override void Close(IVerificationStore store) => _context?.Dispose();
}

public sealed class LiteDbMailOutboxTests : MailOutboxContractTests
{
    private LiteDbContext? _context;

    protected override IMailOutbox Open(string dataDirectory)
    {
        _context = new LiteDbContext(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));
        return new LiteDbMailOutbox(_context);
    }

    protected override void Close(IMailOutbox store) => _context?.Dispose();

    [Fact]
    public async Task Outbox_SharesFileWithKeyStore_BothWork()
    {
        await Outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "a@example.org", null, null, "t", Now.AddHours(1)), Now);
        using var keys = new LiteDbKeyStore(_context!);

        Assert.Equal(0, (await keys.GetStatisticsAsync()).Keys);
        Assert.Single(await Outbox.TakeDueAsync(Now, 10));
    }
}
