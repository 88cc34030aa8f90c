using Keyserver.Core.Admin;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Keyserver.Storage.PostgreSql.Admin;

/// <summary>
/// <see cref="IKeyAdminSearch"/> on the key store's lookup table: fingerprints and key IDs by the
/// terms every key has, e-mail addresses, words and user IDs by the admin terms schema 0002 keeps for
/// every identity whatever its state. Only the page's keys are read in full; no search scans the keys.
/// </summary>
/// <param name="database">The database; the caller keeps owning it.</param>
public sealed class PostgreSqlKeyAdminSearch(PostgreSqlDatabase database) : PostgreSqlStore(database), IKeyAdminSearch
{
    /// <inheritdoc />
    public Task<KeyPage> FindAnyAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Database.RunAsync(async connection =>
        {
            var matches = await FindAsync(connection, query, cancellationToken).ConfigureAwait(false);
            var wanted = matches.Skip(offset).Take(limit).ToList();
            var records = wanted.Count == 0
                ? []
                : await PostgreSqlKeyStore.ReadAsync(connection, null, wanted, publishedOnly: false, cancellationToken).ConfigureAwait(false);

            // A key deleted between the two reads is left out of the page.
            return new KeyPage(wanted.Select(f => records.GetValueOrDefault(f)).OfType<KeyRecord>().ToList(), matches.Count);
        }, cancellationToken);
    }

    private static Task<List<string>> FindAsync(NpgsqlConnection connection, KeyQuery query, CancellationToken cancellationToken) => query switch
    {
        KeyQuery.ByFingerprint q => ByTermsAsync(connection, KeyRows.FingerprintTerm, Hex(q.Fingerprint), cancellationToken),
        KeyQuery.ByKeyId q => ByTermsAsync(connection, KeyRows.KeyIdTerm, Hex(q.KeyId), cancellationToken),
        KeyQuery.ByShortKeyId q => ByTermsAsync(connection, KeyRows.ShortKeyIdTerm, Hex(q.ShortKeyId), cancellationToken),
        KeyQuery.ByEmail q => ByTermsAsync(connection, KeyRows.AnyEmailTerm, q.Email.Length > 0 ? [KeyRows.Term(q.Email)] : [], cancellationToken),
        KeyQuery.ByWords q => ByTermsAsync(connection, KeyRows.AnyWordTerm, Words(q.Words), cancellationToken),
        KeyQuery.ByUserId q => PostgreSqlKeyStore.FindByUserIdAsync(connection, q.UserId, anyState: true, cancellationToken),
        _ => throw new ArgumentException($"Unknown query kind {query.GetType().Name}.", nameof(query)),
    };

    private static string[] Hex(string value) =>
        value.Length is > 0 and <= PostgreSqlKeyStore.MaxHexQueryLength ? [KeyRows.Term(value)] : [];

    // Every word must match; an empty word matches nothing, and so does a query that needs one.
    private static string[] Words(IReadOnlyList<string> words) =>
        words.Count == 0 || words.Any(w => w.Length == 0) ? [] : words.Select(KeyRows.Term).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The sorted fingerprints of the keys that have every one of <paramref name="terms"/> of <paramref name="kind"/>.</summary>
    private static async Task<List<string>> ByTermsAsync(NpgsqlConnection connection, short kind, string[] terms, CancellationToken cancellationToken)
    {
        if (terms.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            "SELECT fingerprint FROM key_terms WHERE kind = @kind AND term = ANY(@terms) GROUP BY fingerprint HAVING count(*) = @n ORDER BY fingerprint",
            connection);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = terms });
        command.Parameters.AddWithValue("n", (long)terms.Length);
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }
}
