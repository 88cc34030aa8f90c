using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Admin;

/// <summary>Whether a stored key matches a query over all its identities, whatever their state.</summary>
public static class KeyQueryMatch
{
    /// <summary>True when <paramref name="record"/> matches <paramref name="query"/> (the rules of the HKP search, without "published only").</summary>
    public static bool Matches(KeyRecord record, KeyQuery query)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(query);
        return query switch
        {
            KeyQuery.ByFingerprint q => record.Fingerprints.Contains(q.Fingerprint, StringComparer.Ordinal),
            KeyQuery.ByKeyId q => record.KeyIds.Contains(q.KeyId, StringComparer.Ordinal),
            KeyQuery.ByShortKeyId q => record.ShortKeyIds.Contains(q.ShortKeyId, StringComparer.Ordinal),
            KeyQuery.ByEmail q => record.Identities.Any(i => string.Equals(i.Email, q.Email, StringComparison.Ordinal)),
            KeyQuery.ByWords q => q.Words.Count > 0 && AllWords(record, q.Words),
            KeyQuery.ByUserId q => record.Identities.Any(i => string.Equals(i.UserId, q.UserId, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    private static bool AllWords(KeyRecord record, IReadOnlyList<string> words)
    {
        var present = record.Identities.SelectMany(i => SearchText.Words(i.UserId)).ToHashSet(StringComparer.Ordinal);
        return words.All(present.Contains);
    }
}

/// <summary>
/// <see cref="IKeyAdminSearch"/> for any <see cref="IKeyStore"/>: one scan of the store per search.
/// Admin searches are rare and the scan reads one record at a time, so no index of unpublished
/// identities is kept for them.
/// </summary>
/// <param name="store">The key store to scan.</param>
public sealed class ScanningKeyAdminSearch(IKeyStore store) : IKeyAdminSearch
{
    /// <inheritdoc />
    public async Task<KeyPage> FindAnyAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var page = new List<KeyRecord>();
        var total = 0;
        await foreach (var record in store.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!KeyQueryMatch.Matches(record, query))
            {
                continue;
            }

            if (total >= offset && page.Count < limit)
            {
                page.Add(record);
            }

            total++;
        }

        return new KeyPage(page, total);
    }
}
