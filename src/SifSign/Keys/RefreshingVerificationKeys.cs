using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Hkp;
using SifSign.Integrity;

namespace SifSign.Keys;

/// <summary>
/// <c>verify --refresh</c>: each signing key found elsewhere (local, global or keyserver) is fetched
/// again from the keyserver by its fingerprint and merged (<see cref="KeyMerge"/>, as <c>key refresh</c>
/// does) before it is used, so a revocation or a new expiry published since the key was pulled is seen
/// (Apptainer never learns of one: apptainer/singularity#2579). Only what verifies against the key's own
/// primary key is merged (RFC 9580 §5.2.1.11, §5.2.1.12); verification then fails with "key revoked"
/// or "key expired" as for a local key. An unreachable keyserver is reported and the local key stands.
/// Nothing is written to the keyring.
/// </summary>
public sealed class RefreshingVerificationKeys : IVerificationKeys
{
    private readonly IVerificationKeys inner;
    private readonly Func<HkpClient> keyserver;
    private readonly Action<string> onRefreshError;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<string, PgpPublicKeyRing> refreshed = new(StringComparer.Ordinal);
    private HkpClient? client;

    /// <summary>Creates the lookup.</summary>
    /// <param name="inner">Where keys are found first.</param>
    /// <param name="keyserver">Creates the keyserver client on first need (throws <see cref="HkpException"/> when none is configured).</param>
    /// <param name="onRefreshError">Receives why a key could not be refreshed.</param>
    /// <param name="cancellationToken">Cancels keyserver requests.</param>
    public RefreshingVerificationKeys(IVerificationKeys inner, Func<HkpClient> keyserver, Action<string> onRefreshError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keyserver);
        ArgumentNullException.ThrowIfNull(onRefreshError);
        this.inner = inner;
        this.keyserver = keyserver;
        this.onRefreshError = onRefreshError;
        this.cancellationToken = cancellationToken;
    }

    /// <inheritdoc/>
    public PgpPublicKeyRing? Find(byte[] fingerprintOrKeyId)
    {
        var ring = inner.Find(fingerprintOrKeyId);
        if (ring is null)
        {
            return null;
        }

        var fingerprint = KeyIdentity.Fingerprint(ring.GetPublicKey());
        if (refreshed.TryGetValue(fingerprint, out var known))
        {
            return known;
        }

        try
        {
            client ??= keyserver();
            var fetched = client.GetKeysAsync(fingerprint, cancellationToken).GetAwaiter().GetResult()
                .FirstOrDefault(candidate => KeyIdentity.Fingerprint(candidate.GetPublicKey()) == fingerprint);
            // Unchanged, the very ring the inner lookup returned is kept: it knows where that one came from.
            refreshed[fingerprint] = fetched is null ? ring : KeyMerge.Merge(ring, fetched).Merged;
            return refreshed[fingerprint];
        }
        catch (Exception e) when (e is HkpException or KeyringException)
        {
            onRefreshError($"cannot refresh key {fingerprint}: {e.Message}; the local copy is used");
        }

        return ring;
    }
}
