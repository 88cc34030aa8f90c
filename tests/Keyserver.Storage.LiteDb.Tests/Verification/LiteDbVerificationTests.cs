using Keyserver.Contracts.Verification;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Verification;

public sealed class LiteDbVerificationStoreTests() : VerificationStoreContractTests(new LiteDbFile().Backend<IVerificationStore>(context => new LiteDbVerificationStore(context)));

public sealed class LiteDbMailOutboxTests : MailOutboxContractTests
{
    private readonly LiteDbFile _file;

    public LiteDbMailOutboxTests()
        : this(new LiteDbFile())
    {
    }

    private LiteDbMailOutboxTests(LiteDbFile file)
        : base(file.Backend<IMailOutbox>(context => new LiteDbMailOutbox(context))) => _file = file;

    [Fact]
    public async Task Outbox_SharesFileWithKeyStore_BothWork()
    {
        await Outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "a@example.org", null, null, "t", Now.AddHours(1)), Now);
        using var keys = new LiteDbKeyStore(_file.Context!);

        Assert.Equal(0, (await keys.GetStatisticsAsync()).Keys);
        Assert.Single(await Outbox.TakeDueAsync(Now, 10));
    }
}

public sealed class LiteDbMailOutboxClaimTests() : MailOutboxClaimContractTests(new LiteDbFile().Backend<IMailOutbox>(context => new LiteDbMailOutbox(context)));

/// <summary>The LiteDB file in a contract test's data directory, opened with the store on it.</summary>
internal sealed class LiteDbFile
{
    public LiteDbContext? Context { get; private set; }

    /// <summary>A backend that opens <paramref name="store"/> on this file's context and closes the context.</summary>
    public StoreBackend<T> Backend<T>(Func<LiteDbContext, T> store)
        where T : class => new(dataDirectory => store(Context = new LiteDbContext(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName))), _ => Context?.Dispose());
}
