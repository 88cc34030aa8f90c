using Npgsql;
using NpgsqlTypes;

namespace Keyserver.Storage.PostgreSql.Migrations;

/// <summary>
/// Work a migration needs beside its SQL script, run in the script's transaction: data that only the
/// server's code can compute.
/// </summary>
internal static class MigrationSteps
{
    private const int BackfillBatchSize = 500;

    /// <summary>Runs what migration <paramref name="version"/> needs after its script, if anything.</summary>
    public static Task AfterAsync(int version, NpgsqlConnection connection, CancellationToken cancellationToken) => version switch
    {
        2 => BackfillAdminTermsAsync(connection, cancellationToken),
        _ => Task.CompletedTask,
    };

    // 0002: the admin search's terms of every identity (KeyRows.AdminTermsOf) for keys stored before
    // it; keys written afterwards get them with their other terms.
    private static async Task BackfillAdminTermsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        string after = "";
        while (true)
        {
            var batch = new List<(string Fingerprint, string Meta)>();
            await using (var select = new NpgsqlCommand(
                $"SELECT fingerprint, meta FROM keys WHERE fingerprint > @after ORDER BY fingerprint LIMIT {BackfillBatchSize}", connection))
            {
                select.Parameters.AddWithValue("after", after);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            if (batch.Count == 0)
            {
                return;
            }

            var rows = batch
                .SelectMany(k => KeyRows.AdminTermsOf(KeyRows.FromMeta(k.Meta).Identities).Distinct().Select(t => (k.Fingerprint, t.Kind, t.Term)))
                .ToList();
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO key_terms (kind, term, fingerprint) SELECT * FROM unnest(@kinds, @terms, @fingerprints) ON CONFLICT DO NOTHING", connection))
            {
                insert.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = rows.Select(r => r.Kind).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Term).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("fingerprints", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Fingerprint).ToArray() });
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            after = batch[^1].Fingerprint;
        }
    }
}
