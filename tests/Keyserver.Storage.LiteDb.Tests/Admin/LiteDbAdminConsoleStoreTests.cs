using Keyserver.Contracts.Admin;
using Keyserver.Core.Admin;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Tests.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Admin;

public sealed class LiteDbBlockListTests() : BlockListContractTests(new LiteDbFile().Backend<IBlockList>(context => new LiteDbBlockList(context)));

public sealed class LiteDbAuditLogTests() : AuditLogContractTests(new LiteDbFile().Backend<IAuditLog>(context => new LiteDbAuditLog(context)));
