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
public sealed class PostgreSqlKeyStoreContractTests(PostgresServer server)
    : KeyStoreContractTests(new TestDatabase(server).Backend<IKeyStore>(database => new PostgreSqlKeyStore(database)));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlVerificationStoreContractTests(PostgresServer server)
    : VerificationStoreContractTests(new TestDatabase(server).Backend<IVerificationStore>(database => new PostgreSqlVerificationStore(database)));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlMailOutboxContractTests(PostgresServer server)
    : MailOutboxContractTests(new TestDatabase(server).Backend<IMailOutbox>(database => new PostgreSqlMailOutbox(database)));

[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlMailOutboxClaimContractTests(PostgresServer server)
    : MailOutboxClaimContractTests(new TestDatabase(server).Backend<IMailOutbox>(database => new PostgreSqlMailOutbox(database)));
