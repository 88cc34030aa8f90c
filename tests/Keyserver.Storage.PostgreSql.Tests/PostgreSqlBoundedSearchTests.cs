using Keyserver.Contracts;

namespace Keyserver.Storage.PostgreSql.Tests;

/// <summary>The bounded searches, on a database of their own.</summary>
[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlBoundedSearchTests(PostgresServer server)
    : BoundedSearchContractTests(new TestDatabase(server).Backend<IKeyStore>(database => new PostgreSqlKeyStore(database)));
