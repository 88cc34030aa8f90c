using Keyserver.Contracts;

namespace Keyserver.Storage.PostgreSql.Tests;

/// <summary>The bounded searches, on a database of their own.</summary>
[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlBoundedSearchTests(PostgresServer server) : BoundedSearchContractTests
{
    private readonly TestDatabase _database = new(server);

    protected override IKeyStore Open(string dataDirectory) => new PostgreSqlKeyStore(_database.Open());

    protected override void Close(IKeyStore store) => _database.Close();
}
