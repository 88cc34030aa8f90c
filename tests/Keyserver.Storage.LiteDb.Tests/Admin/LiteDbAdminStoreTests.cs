using Keyserver.Contracts.Admin;
using Keyserver.Core.Admin;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Tests.Verification;

namespace Keyserver.Storage.LiteDb.Tests.Admin;

public sealed class LiteDbBlockListTests : BlockListContractTests
{
    private readonly LiteDbFile _file = new();

    protected override IBlockList Open(string dataDirectory) => _file.Open(dataDirectory, context => new LiteDbBlockList(context));

    protected override void Close(IBlockList store) => _file.Close();
}

public sealed class LiteDbAuditLogTests : AuditLogContractTests
{
    private readonly LiteDbFile _file = new();

    protected override IAuditLog Open(string dataDirectory) => _file.Open(dataDirectory, context => new LiteDbAuditLog(context));

    protected override void Close(IAuditLog store) => _file.Close();
}
