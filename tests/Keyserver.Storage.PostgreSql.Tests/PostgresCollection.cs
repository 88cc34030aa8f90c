using Keyserver.Contracts;

namespace Keyserver.Storage.PostgreSql.Tests;

/// <summary>Every test class of this project shares one PostgreSQL server; each test gets a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// A fresh database for one test, created on first use; <see cref="Open"/> connects (and migrates), and
/// <see cref="Close"/> drops the pool, so the next <see cref="Open"/> finds the same data as a restarted
/// server would.
/// </summary>
public sealed class TestDatabase(PostgresServer server)
{
    private string? _connectionString;
    private PostgreSqlDatabase? _open;

    public string ConnectionString => _connectionString ??= server.CreateDatabase();

    public PostgreSqlDatabase Open() => _open ??= new PostgreSqlDatabase(ConnectionString);

    public void Close()
    {
        _open?.Dispose();
        _open = null;
    }

    /// <summary>A contract suite's backend: <paramref name="store"/> over this database, "closed" by dropping the pool.</summary>
    public StoreBackend<T> Backend<T>(Func<PostgreSqlDatabase, T> store)
        where T : class => new(_ => store(Open()), _ => Close());
}
