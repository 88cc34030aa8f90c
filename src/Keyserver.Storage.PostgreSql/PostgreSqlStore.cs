namespace Keyserver.Storage.PostgreSql;

/// <summary>
/// A store on a <see cref="PostgreSqlDatabase"/> the caller keeps owning: creating the store creates
/// or migrates the database's schema.
/// </summary>
public abstract class PostgreSqlStore
{
    /// <summary>Works on <paramref name="database"/>, creating or migrating its schema now.</summary>
    protected PostgreSqlStore(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Database = database;
        database.EnsureSchema();
    }

    /// <summary>The database the store works on.</summary>
    private protected PostgreSqlDatabase Database { get; }
}
