using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Admin;

/// <summary>
/// The admin console's search: every stored key, pending and unpublished included, by any query
/// the HKP search knows. Unlike <see cref="IKeyStore.FindAsync"/>, e-mail, word and user ID queries
/// match every identity whatever its state.
/// </summary>
public interface IKeyAdminSearch
{
    /// <summary>
    /// Stored keys matching <paramref name="query"/> over all their identities, ordered by
    /// fingerprint, skipping <paramref name="offset"/> and returning at most <paramref name="limit"/>;
    /// the total counts every match.
    /// </summary>
    Task<KeyPage> FindAnyAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default);
}
