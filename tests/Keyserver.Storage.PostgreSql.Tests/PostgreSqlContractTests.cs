using Keyserver.Contracts;
using Keyserver.Contracts.Verification;
using Keyserver.Core.Verification;
using Keyserver.Storage.PostgreSql.Verification;

namespace Keyserver.Storage.PostgreSql.Tests;

// The PostgreSQL store claims the same contracts as the LiteDB store and the in-memory fakes: the
// suites run unchanged, each test on a database of its own. "Closing" drops the connection pool, and
// reopening connects to the same database, as a restarted server would.

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlKeyStoreContractTests(PostgresServer server) : KeyStoreContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IKeyStore Open(string dataDirectory) => new PostgreSqlKeyStore(_database.Open());

    protected override void Close(IKeyStore store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlVerificationStoreContractTests(PostgresServer server) : VerificationStoreContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IVerificationStore Open(string dataDirectory) => new PostgreSqlVerificationStore(_database.Open());

    protected override void Close(IVerificationStore store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlMailOutboxContractTests(PostgresServer server) : MailOutboxContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IMailOutbox Open(string dataDirectory) => new PostgreSqlMailOutbox(_database.Open());

    protected override void Close(IMailOutbox store) => _database.Close();
}

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlMailOutboxClaimContractTests(PostgresServer server) : MailOutboxClaimContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IMailOutbox Open(string dataDirectory) => new PostgreSqlMailOutbox(_database.Open());

    protected override void Close(IMailOutbox store) => _database.Close();
}
