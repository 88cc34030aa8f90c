using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Hkp;
using SifSign.Integrity;

namespace SifSign.Keys;

/// <summary>
/// <c>verify --refresh</c>: each signing key found elsewhere (local, global or keyserver) is fetched
/// again from the keyserver by its fingerprint before it is used, so a revocation published since
/// the key was pulled is seen (Apptainer never learns of one: apptainer/singularity#2579). Only a
/// revocation whose signature verifies against the key's own primary key (RFC 9580 §5.2.1.11,
/// §5.2.1.12) counts; then the fetched key, carrying it, is used and verification fails with
/// "key revoked". An unreachable keyserver is reported and the local key stands.
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

    /// <summary>Fingerprints of the keys the keyserver showed revoked.</summary>
    public IReadOnlyCollection<string> Revoked => [.. refreshed.Keys];

    /// <inheritdoc/>
    public PgpPublicKeyRing? Find(byte[] fingerprintOrKeyId)
    {
        var ring = inner.Find(fingerprintOrKeyId);
        if (ring is null)
        {
            return null;
        }

        var fingerprint = KeyIdentity.Fingerprint(ring.GetPublicKey());
        if (refreshed.TryGetValue(fingerprint, out var revoked))
        {
            return revoked;
        }

        try
        {
            client ??= keyserver();
            var fetched = client.GetKeysAsync(fingerprint, cancellationToken).GetAwaiter().GetResult()
                .FirstOrDefault(candidate => KeyIdentity.Fingerprint(candidate.GetPublicKey()) == fingerprint);
            if (fetched is not null && IsRevoked(fetched, fingerprintOrKeyId))
            {
                refreshed[fingerprint] = fetched;
                return fetched;
            }
        }
        catch (Exception e) when (e is HkpException or KeyringException)
        {
            onRefreshError($"cannot refresh key {fingerprint}: {e.Message}; the local copy is used");
        }

        return ring;
    }

    /// <summary>
    /// True when the primary key, or the subkey with this key ID, carries a revocation signature made
    /// by the primary key that verifies.
    /// </summary>
    public static bool IsRevoked(PgpPublicKeyRing ring, byte[] fingerprintOrKeyId)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(fingerprintOrKeyId);
        var primary = ring.GetPublicKey();
        if (HasValidRevocation(primary, primary, PgpSignature.KeyRevocation))
        {
            return true;
        }

        var keyId = fingerprintOrKeyId.Length == 8
            ? unchecked((long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(fingerprintOrKeyId))
            : (long?)null;
        return ring.GetPublicKeys().Any(key => !key.IsMasterKey && (keyId is null || key.KeyId == keyId)
            && HasValidRevocation(key, primary, PgpSignature.SubkeyRevocation));
    }

    private static bool HasValidRevocation(PgpPublicKey key, PgpPublicKey primary, int type)
    {
        foreach (var signature in key.GetSignaturesOfType(type))
        {
            try
            {
                signature.InitVerify(primary);
                if (type == PgpSignature.KeyRevocation ? signature.VerifyCertification(primary) : signature.VerifyCertification(primary, key))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is PgpException or ArgumentException or InvalidOperationException or IOException)
            {
                // A malformed revocation proves nothing.
            }
        }

        return false;
    }
}
