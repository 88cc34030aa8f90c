using Npgsql;

namespace Keyserver.Storage.PostgreSql;

/// <summary>One-statement helpers on <see cref="PostgreSqlDatabase"/>: run a statement on a pooled connection with named parameters.</summary>
internal static class PostgreSqlCommands
{
    /// <summary>Runs <paramref name="sql"/>; returns the rows it affected.</summary>
    public static Task<int> ExecuteAsync(this PostgreSqlDatabase database, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        database.RunAsync(async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Runs <paramref name="sql"/>; returns its first column of the first row, or null.</summary>
    public static Task<object?> ScalarAsync(this PostgreSqlDatabase database, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        database.RunAsync(async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }, cancellationToken);

    /// <summary>Runs <paramref name="sql"/>; returns every row as <paramref name="read"/> maps it.</summary>
    public static Task<List<T>> QueryAsync<T>(this PostgreSqlDatabase database, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        database.RunAsync(async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }, cancellationToken);

    /// <summary>A time stored as UTC ticks.</summary>
    public static DateTimeOffset Time(this NpgsqlDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    /// <summary>A nullable text column.</summary>
    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
