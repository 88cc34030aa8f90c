using Keyserver.Contracts.Verification;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Verification;

public sealed class LiteDbVerificationStoreTests : VerificationStoreContractTests
{
    private readonly LiteDbFile _file = new();

    protected override IVerificationStore Open(string dataDirectory) => _file.Open(dataDirectory, context => new LiteDbVerificationStore(context));

    protected override void Close(IVerificationStore store) => _file.Close();
}

public sealed class LiteDbMailOutboxTests : MailOutboxContractTests
{
    private readonly LiteDbFile _file = new();

    protected override IMailOutbox Open(string dataDirectory) => _file.Open(dataDirectory, context => new LiteDbMailOutbox(context));

    protected override void Close(IMailOutbox store) => _file.Close();

    [Fact]
    public async Task Outbox_SharesFileWithKeyStore_BothWork()
    {
        await Outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "a@example.org", null, null, "t", Now.AddHours(1)), Now);
        using var keys = new LiteDbKeyStore(_file.Context!);

        Assert.Equal(0, (await keys.GetStatisticsAsync()).Keys);
        Assert.Single(await Outbox.TakeDueAsync(Now, 10));
    }
}

/// <summary>The LiteDB file in a contract test's data directory, opened with the store on it.</summary>
internal sealed class LiteDbFile
{
    public LiteDbContext? Context { get; private set; }

    public T Open<T>(string dataDirectory, Func<LiteDbContext, T> store)
    {
        Context = new LiteDbContext(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));
        return store(Context);
    }

    public void Close() => Context?.Dispose();
}

public sealed class LiteDbMailOutboxClaimTests : MailOutboxClaimContractTests
{
    private readonly LiteDbFile _file = new();

    protected override IMailOutbox Open(string dataDirectory) => _file.Open(dataDirectory, context => new LiteDbMailOutbox(context));

    protected override void Close(IMailOutbox store) => _file.Close();
}
