using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Hkp;
using SifSign.Integrity;

namespace SifSign.Keys;

/// <summary>Where a verification key was found, as Apptainer labels it.</summary>
public enum KeySource
{
    /// <summary>The local public keyring (<c>[LOCAL]</c>).</summary>
    Local,

    /// <summary>Fetched from a keyserver for this verification only (<c>[REMOTE]</c>).</summary>
    Remote,
}

/// <summary>
/// Apptainer's "hybrid keyring" (Apptainer's internal/pkg/sypgp/keyring.go): keys from the local public keyring first; on a miss,
/// unless there is no keyserver, an HKP <c>op=get</c> by key ID. Fetched keys are used for this
/// verification only, never saved. A keyserver failure is reported through <c>onKeyserverError</c>
/// and the key counts as unknown.
/// </summary>
public sealed class LayeredVerificationKeys : IVerificationKeys
{
    private readonly IReadOnlyList<PgpPublicKeyRing> local;
    private readonly Func<HkpClient>? keyserver;
    private readonly Action<string> onKeyserverError;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<string, PgpPublicKeyRing?> fetched = new(StringComparer.Ordinal);
    private readonly HashSet<PgpPublicKeyRing> remote = new(ReferenceEqualityComparer.Instance);
    private HkpClient? client;

    /// <summary>Creates the lookup.</summary>
    /// <param name="local">The local public keys.</param>
    /// <param name="keyserver">Creates the keyserver client on first need (it throws <see cref="HkpException"/> when none is configured); null for local only.</param>
    /// <param name="onKeyserverError">Receives the message of a failed keyserver lookup.</param>
    /// <param name="cancellationToken">Cancels keyserver requests.</param>
    public LayeredVerificationKeys(
        IEnumerable<PgpPublicKeyRing> local,
        Func<HkpClient>? keyserver,
        Action<string> onKeyserverError,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(onKeyserverError);
        this.local = [.. local];
        this.keyserver = keyserver;
        this.onKeyserverError = onKeyserverError;
        this.cancellationToken = cancellationToken;
    }

    /// <inheritdoc/>
    public PgpPublicKeyRing? Find(byte[] fingerprintOrKeyId)
    {
        ArgumentNullException.ThrowIfNull(fingerprintOrKeyId);
        var found = new PgpVerificationKeys(local).Find(fingerprintOrKeyId);
        if (found is not null || keyserver is null)
        {
            return found;
        }

        var handle = Convert.ToHexString(fingerprintOrKeyId);
        if (fetched.TryGetValue(handle, out var cached))
        {
            return cached;
        }

        PgpPublicKeyRing? ring = null;
        try
        {
            client ??= keyserver();
            // Sync over async: the verifier asks synchronously, and the CLI has no synchronization context.
            var keys = client.GetKeysAsync(handle, cancellationToken).GetAwaiter().GetResult();
            ring = new PgpVerificationKeys(keys).Find(fingerprintOrKeyId);
            if (ring is not null)
            {
                remote.Add(ring);
            }
        }
        catch (Exception e) when (e is HkpException or KeyringException)
        {
            onKeyserverError(e.Message);
        }

        fetched[handle] = ring;
        return ring;
    }

    /// <summary>Where <paramref name="ring"/> (as returned by <see cref="Find"/>) came from.</summary>
    public KeySource SourceOf(PgpPublicKeyRing ring) => remote.Contains(ring) ? KeySource.Remote : KeySource.Local;
}
