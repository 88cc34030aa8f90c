using Keyserver.Contracts;
using Keyserver.Contracts.Admin;
using Keyserver.Contracts.Verification;
using Keyserver.Core.Tests.Admin;
using static Keyserver.Contracts.StoreBackend;

namespace Keyserver.Core.Tests;

// The in-memory fakes the Core tests run against claim their interfaces' contracts: they pass the same
// suites as the LiteDB backend, each test on fresh objects.

public sealed class InMemoryKeyStoreContractTests() : KeyStoreContractTests(Kept<IKeyStore>(new InMemoryKeyStore()));

public sealed class InMemoryVerificationStoreContractTests() : VerificationStoreContractTests(Kept<IVerificationStore>(new InMemoryVerificationStore()));

public sealed class InMemoryMailOutboxContractTests() : MailOutboxContractTests(Kept<IMailOutbox>(new InMemoryMailOutbox()));

public sealed class InMemoryBlockListContractTests() : BlockListContractTests(Kept<IBlockList>(new InMemoryBlockList()));

public sealed class InMemoryAuditLogContractTests() : AuditLogContractTests(Kept<IAuditLog>(new InMemoryAuditLog()));
