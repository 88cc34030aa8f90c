using Keyserver.Contracts;
using Keyserver.Contracts.Admin;
using Keyserver.Contracts.Verification;

namespace Keyserver.Core.Tests.Admin;

// The in-memory fakes of the admin stores pass the same suites as the LiteDB backend; as in
// InMemoryStoreContractTests, "reopening" finds the same object.

public sealed class InMemoryAdminSessionStoreContractTests : AdminSessionStoreContractTests
{
    private readonly InMemoryAdminSessionStore _store = new();

    protected override IAdminSessionStore Open(string dataDirectory) => _store;

    protected override void Close(IAdminSessionStore store)
    {
    }
}

public sealed class InMemoryMailQueueAdminContractTests : MailQueueAdminContractTests
{
    private readonly InMemoryMailOutbox _outbox = new();

    protected override MailQueue Open(string dataDirectory) => new(_outbox, _outbox);
}

public sealed class InMemoryKeyAdminSearchContractTests : KeyAdminSearchContractTests
{
    private readonly InMemoryKeyStore _store = new();

    protected override IKeyStore Open(string dataDirectory) => _store;

    protected override void Close(IKeyStore store)
    {
    }

    protected override IKeyAdminSearch SearchOver(IKeyStore store) => new ScanningKeyAdminSearch(store);
}
