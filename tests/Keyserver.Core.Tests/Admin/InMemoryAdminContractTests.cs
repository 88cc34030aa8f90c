using Keyserver.Contracts.Admin;
using Keyserver.Contracts.Verification;
using static Keyserver.Contracts.StoreBackend;

namespace Keyserver.Core.Tests.Admin;

// The in-memory fakes of the admin stores pass the same suites as the LiteDB backend; as in
// InMemoryStoreContractTests, "reopening" finds the same object.

public sealed class InMemoryAdminSessionStoreContractTests() : AdminSessionStoreContractTests(Kept<IAdminSessionStore>(new InMemoryAdminSessionStore()));

public sealed class InMemoryMailQueueAdminContractTests() : MailQueueAdminContractTests(Kept(Queue(new InMemoryMailOutbox())))
{
    private static MailQueue Queue(InMemoryMailOutbox outbox) => new(outbox, outbox);
}

public sealed class InMemoryKeyAdminSearchContractTests() : KeyAdminSearchContractTests(Kept<IKeyStore>(new InMemoryKeyStore()))
{
    protected override IKeyAdminSearch SearchOver(IKeyStore store) => new ScanningKeyAdminSearch(store);
}
