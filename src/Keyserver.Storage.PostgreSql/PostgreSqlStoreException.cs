namespace Keyserver.Storage.PostgreSql;

/// <summary>The PostgreSQL store cannot be used as configured: the schema is newer than this server, or the database refuses it.</summary>
public class PostgreSqlStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PostgreSqlStoreException()
    {
    }

    /// <summary>Creates the exception with a one-line message for the operator.</summary>
    public PostgreSqlStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public PostgreSqlStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The database cannot be reached or dropped the connection: nothing was stored, and the request may
/// be repeated (the host answers 503 with Retry-After).
/// </summary>
public sealed class PostgreSqlUnavailableException : PostgreSqlStoreException
{
    /// <summary>Creates the exception.</summary>
    public PostgreSqlUnavailableException()
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public PostgreSqlUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public PostgreSqlUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
