using Keyserver.Contracts;
using Keyserver.Contracts.Verification;

namespace Keyserver.Core.Tests;

// The in-memory fakes the Core tests run against claim their interfaces' contracts: they pass the same
// suites as the LiteDB backend. An in-memory store lives as long as its object, so "closing and
// reopening" the data directory finds the same object, as a restarted process finds the same file.

public sealed class InMemoryKeyStoreContractTests : KeyStoreContractTests
{
    private readonly InMemoryKeyStore _store = new();

    protected override IKeyStore Open(string dataDirectory) => _store;

    protected override void Close(IKeyStore store)
    {
    }
}

public sealed class InMemoryVerificationStoreContractTests : VerificationStoreContractTests
{
    private readonly InMemoryVerificationStore _store = new();

    protected override IVerificationStore Open(string dataDirectory) => _store;

    protected override void Close(IVerificationStore store)
    {
    }
}

public sealed class InMemoryMailOutboxContractTests : MailOutboxContractTests
{
    private readonly InMemoryMailOutbox _outbox = new();

    protected override IMailOutbox Open(string dataDirectory) => _outbox;

    protected override void Close(IMailOutbox store)
    {
    }
}

public sealed class InMemoryBlockListContractTests : Keyserver.Contracts.Admin.BlockListContractTests
{
    private readonly Admin.InMemoryBlockList _blocks = new();

    protected override Keyserver.Core.Admin.IBlockList Open(string dataDirectory) => _blocks;

    protected override void Close(Keyserver.Core.Admin.IBlockList store)
    {
    }
}

public sealed class InMemoryAuditLogContractTests : Keyserver.Contracts.Admin.AuditLogContractTests
{
    private readonly Admin.InMemoryAuditLog _log = new();

    protected override Keyserver.Core.Admin.IAuditLog Open(string dataDirectory) => _log;

    protected override void Close(Keyserver.Core.Admin.IAuditLog store)
    {
    }
}
