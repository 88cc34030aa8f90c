using Keyserver.Contracts.Admin;
using Keyserver.Contracts.Verification;
using Keyserver.Core.Admin;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Tests.Verification;
using Keyserver.Storage.LiteDb.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Admin;

public sealed class LiteDbAdminSessionStoreTests : AdminSessionStoreContractTests
{
    private readonly LiteDbFile _file = new();

    protected override IAdminSessionStore Open(string dataDirectory) => _file.Open(dataDirectory, context => new LiteDbAdminSessionStore(context));

    protected override void Close(IAdminSessionStore store) => _file.Close();
}

public sealed class LiteDbMailQueueAdminTests : MailQueueAdminContractTests
{
    private readonly LiteDbFile _file = new();

    protected override MailQueue Open(string dataDirectory) =>
        _file.Open(dataDirectory, context => new MailQueue(new LiteDbMailOutbox(context), new LiteDbMailQueueAdmin(context)));

    protected override void Close(MailQueue store) => _file.Close();
}

public sealed class LiteDbKeyAdminSearchTests : KeyAdminSearchContractTests
{
    protected override IKeyStore Open(string dataDirectory) =>
        new LiteDbKeyStore(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));

    protected override IKeyAdminSearch SearchOver(IKeyStore store) => new ScanningKeyAdminSearch(store);
}
