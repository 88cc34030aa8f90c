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
public sealed class PostgreSqlBlockListContractTests(PostgresServer server)
    : BlockListContractTests(new TestDatabase(server).Backend<IBlockList>(database => new PostgreSqlBlockList(database)));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlAuditLogContractTests(PostgresServer server)
    : AuditLogContractTests(new TestDatabase(server).Backend<IAuditLog>(database => new PostgreSqlAuditLog(database)));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlAdminSessionStoreContractTests(PostgresServer server)
    : AdminSessionStoreContractTests(new TestDatabase(server).Backend<IAdminSessionStore>(database => new PostgreSqlAdminSessionStore(database)));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlMailQueueAdminContractTests(PostgresServer server)
    : MailQueueAdminContractTests(new TestDatabase(server).Backend(database => new MailQueue(new PostgreSqlMailOutbox(database), new PostgreSqlMailQueueAdmin(database))));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlKeyAdminSearchContractTests : KeyAdminSearchContractTests
{
    private readonly TestDatabase _database;

    public PostgreSqlKeyAdminSearchContractTests(PostgresServer server)
        : this(new TestDatabase(server))
    {
    }

    private PostgreSqlKeyAdminSearchContractTests(TestDatabase database)
        : base(database.Backend<IKeyStore>(open => new PostgreSqlKeyStore(open))) => _database = database;

    protected override IKeyAdminSearch SearchOver(IKeyStore store) => new PostgreSqlKeyAdminSearch(_database.Open());
}
