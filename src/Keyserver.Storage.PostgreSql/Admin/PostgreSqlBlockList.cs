using Keyserver.Core.Admin;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Admin;

/// <summary><see cref="IBlockList"/> in PostgreSQL: one row per target, keyed by kind and normalised value.</summary>
public sealed class PostgreSqlBlockList : IBlockList
{
    private const string Columns = "kind, value, created, actor, reason";

    private readonly PostgreSqlDatabase _database;

    /// <summary>Works on <paramref name="database"/>, creating or migrating its schema now; the caller keeps owning it.</summary>
    public PostgreSqlBlockList(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.EnsureSchema();
    }

    /// <inheritdoc />
    public async Task<bool> AddAsync(BlockEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Target);
        ArgumentNullException.ThrowIfNull(entry.Actor);
        return await _database.ExecuteAsync(
            $"INSERT INTO block_list ({Columns}) VALUES (@kind, @value, @created, @actor, @reason) ON CONFLICT (kind, value) DO NOTHING",
            cancellationToken,
            ("kind", (short)entry.Target.Kind), ("value", entry.Target.Value), ("created", entry.Created.UtcTicks), ("actor", entry.Actor), ("reason", entry.Reason))
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return await _database.ExecuteAsync(
            "DELETE FROM block_list WHERE kind = @kind AND value = @value",
            cancellationToken, ("kind", (short)target.Kind), ("value", target.Value)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<BlockEntry?> GetAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var rows = await _database.QueryAsync(
            $"SELECT {Columns} FROM block_list WHERE kind = @kind AND value = @value",
            ToEntry, cancellationToken, ("kind", (short)target.Kind), ("value", target.Value)).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        return await _database.QueryAsync($"SELECT {Columns} FROM block_list ORDER BY kind, value", ToEntry, cancellationToken).ConfigureAwait(false);
    }

    private static BlockEntry ToEntry(NpgsqlDataReader reader)
    {
        var kind = (BlockKind)reader.GetInt16(0);
        var target = BlockTarget.Of(kind, reader.GetString(1))
            ?? throw new InvalidDataException($"The block list holds a {kind} that is not one: {reader.GetString(1)}");
        return new BlockEntry(target, reader.Time(2), reader.GetString(3), reader.NullableString(4));
    }
}
