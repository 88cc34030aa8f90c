using Keyserver.Contracts;
using Keyserver.Contracts.Admin;
using Keyserver.Contracts.Verification;
using Keyserver.Core.Admin;
using Keyserver.Storage.PostgreSql.Admin;
using Keyserver.Storage.PostgreSql.Verification;

namespace Keyserver.Storage.PostgreSql.Tests;

// The admin console's stores claim the same contracts on PostgreSQL as on LiteDB and in memory; the
// suites run unchanged, each test on a database of its own.

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlBlockListContractTests(PostgresServer server) : BlockListContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IBlockList Open(string dataDirectory) => new PostgreSqlBlockList(_database.Open());

    protected override void Close(IBlockList store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlAuditLogContractTests(PostgresServer server) : AuditLogContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IAuditLog Open(string dataDirectory) => new PostgreSqlAuditLog(_database.Open());

    protected override void Close(IAuditLog store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlAdminSessionStoreContractTests(PostgresServer server) : AdminSessionStoreContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IAdminSessionStore Open(string dataDirectory) => new PostgreSqlAdminSessionStore(_database.Open());

    protected override void Close(IAdminSessionStore store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlMailQueueAdminContractTests(PostgresServer server) : MailQueueAdminContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override MailQueue Open(string dataDirectory)
    {
        var database = _database.Open();
        return new MailQueue(new PostgreSqlMailOutbox(database), new PostgreSqlMailQueueAdmin(database));
    }

    protected override void Close(MailQueue store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlKeyAdminSearchContractTests(PostgresServer server) : KeyAdminSearchContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IKeyStore Open(string dataDirectory) => new PostgreSqlKeyStore(_database.Open());

    protected override void Close(IKeyStore store) => _database.Close();

    protected override IKeyAdminSearch SearchOver(IKeyStore store) => new PostgreSqlKeyAdminSearch(_database.Open());
}
