using Keyserver.Core.Admin;
using Npgsql;

namespace Keyserver.Storage.PostgreSql.Admin;

/// <summary><see cref="IBlockList"/> in PostgreSQL: one row per target, keyed by kind and normalised value.</summary>
/// <param name="database">The database; the caller keeps owning it.</param>
public sealed class PostgreSqlBlockList(PostgreSqlDatabase database) : PostgreSqlStore(database), IBlockList
{
    private const string Columns = "kind, value, created, actor, reason";

    /// <inheritdoc />
    public async Task<bool> AddAsync(BlockEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Target);
        ArgumentNullException.ThrowIfNull(entry.Actor);
        return await Database.ExecuteAsync(
            $"INSERT INTO block_list ({Columns}) VALUES (@kind, @value, @created, @actor, @reason) ON CONFLICT (kind, value) DO NOTHING",
            cancellationToken,
            ("kind", (short)entry.Target.Kind), ("value", entry.Target.Value), ("created", entry.Created.UtcTicks), ("actor", entry.Actor), ("reason", entry.Reason))
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return await Database.ExecuteAsync(
            "DELETE FROM block_list WHERE kind = @kind AND value = @value",
            cancellationToken, ("kind", (short)target.Kind), ("value", target.Value)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<BlockEntry?> GetAsync(BlockTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var rows = await Database.QueryAsync(
            $"SELECT {Columns} FROM block_list WHERE kind = @kind AND value = @value",
            ToEntry, cancellationToken, ("kind", (short)target.Kind), ("value", target.Value)).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        return await Database.QueryAsync($"SELECT {Columns} FROM block_list ORDER BY kind, value", ToEntry, cancellationToken).ConfigureAwait(false);
    }

    private static BlockEntry ToEntry(NpgsqlDataReader reader)
    {
        var kind = (BlockKind)reader.GetInt16(0);
        var target = BlockTarget.Of(kind, reader.GetString(1))
            ?? throw new InvalidDataException($"The block list holds a {kind} that is not one: {reader.GetString(1)}");
        return new BlockEntry(target, reader.Time(2), reader.GetString(3), reader.NullableString(4));
    }
}
