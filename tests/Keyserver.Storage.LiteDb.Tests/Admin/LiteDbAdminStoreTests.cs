using Keyserver.Contracts.Admin;
using Keyserver.Contracts.Verification;
using Keyserver.Core.Admin;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Tests.Verification;
using Keyserver.Storage.LiteDb.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Admin;

public sealed class LiteDbAdminSessionStoreTests() : AdminSessionStoreContractTests(new LiteDbFile().Backend<IAdminSessionStore>(context => new LiteDbAdminSessionStore(context)));

public sealed class LiteDbMailQueueAdminTests() : MailQueueAdminContractTests(
    new LiteDbFile().Backend(context => new MailQueue(new LiteDbMailOutbox(context), new LiteDbMailQueueAdmin(context))));

public sealed class LiteDbKeyAdminSearchTests() : KeyAdminSearchContractTests(
    new StoreBackend<IKeyStore>(dataDirectory => new LiteDbKeyStore(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName))))
{
    protected override IKeyAdminSearch SearchOver(IKeyStore store) => new ScanningKeyAdminSearch(store);
}
