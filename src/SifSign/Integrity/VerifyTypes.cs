using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>Where verification finds OpenPGP public keys (local/global keyrings, a keyserver, ...).</summary>
public interface IVerificationKeys
{
    /// <summary>
    /// The key ring holding the key with this 8-byte key ID (big-endian, as in the signature's issuer
    /// subpacket) or 20-byte fingerprint, or null if unknown. Verification calls it with the key ID. A
    /// lookup that fails (keyserver down) should return null, which reports the signer as unknown, as
    /// Apptainer does.
    /// </summary>
    PgpPublicKeyRing? Find(byte[] fingerprintOrKeyId);
}

/// <summary>An <see cref="IVerificationKeys"/> over key rings held in memory.</summary>
public sealed class PgpVerificationKeys(IEnumerable<PgpPublicKeyRing> rings) : IVerificationKeys
{
    private readonly List<PgpPublicKeyRing> rings = [.. rings];

    /// <inheritdoc/>
    public PgpPublicKeyRing? Find(byte[] fingerprintOrKeyId)
    {
        ArgumentNullException.ThrowIfNull(fingerprintOrKeyId);
        if (fingerprintOrKeyId.Length == 8)
        {
            var keyId = unchecked((long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(fingerprintOrKeyId));
            return rings.Find(r => r.GetPublicKey(keyId) is not null);
        }

        return rings.Find(r => r.GetPublicKeys().Any(k => k.GetFingerprint().AsSpan().SequenceEqual(fingerprintOrKeyId)));
    }
}

/// <summary>
/// What to verify (sylabs/sif pkg/integrity verify.go). With no IDs every object group is verified and every signature of a
/// group must pass.
/// </summary>
/// <param name="GroupId">Verify only this group (all its objects must be signed).</param>
/// <param name="ObjectId">Verify only this object (a subset of its group's signature is enough).</param>
/// <param name="LegacyInsecure">Verify pre-3.6 signatures instead (by default only the primary partition).</param>
/// <param name="AllObjects">With <paramref name="LegacyInsecure"/>: every grouped non-signature object.</param>
public sealed record VerifyOptions(uint? GroupId = null, uint? ObjectId = null, bool LegacyInsecure = false, bool AllObjects = false)
{
    /// <summary>The clock that key and signature expiry are checked against; null uses the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>The DSSE verifier for envelope signatures; null means no key material for them.</summary>
    public IEnvelopeVerifier? Envelope { get; init; }

    /// <summary>
    /// Called with each signature that failed; returning true ignores its error and verification goes on
    /// (the ECL ignores <see cref="IntegrityErrorKind.SignatureNotValid"/> this way). Key-material and
    /// format errors cannot be ignored. Every signature, ignored or not, is in
    /// <see cref="VerifyResult.Signatures"/>.
    /// </summary>
    public Func<SignatureCheck, bool>? IgnoreError { get; init; }
}

/// <summary>The kind of a signature object.</summary>
public enum SignatureFormat
{
    /// <summary>Not recognised.</summary>
    Unknown,

    /// <summary>An OpenPGP clear-signed message (modern metadata or legacy SIFHASH).</summary>
    PgpClearSign,

    /// <summary>A DSSE envelope.</summary>
    Dsse,
}

/// <summary>The outcome of checking one signature object.</summary>
/// <param name="Signature">The signature descriptor.</param>
/// <param name="Format">The signature format.</param>
/// <param name="Fingerprint">The 20-byte fingerprint recorded in the descriptor, or null (DSSE).</param>
/// <param name="Signer">The key ring whose key verified the signature (PGP), or null.</param>
/// <param name="VerifiedObjects">The objects this signature verified.</param>
/// <param name="Error">The error for this signature, or null.</param>
public sealed record SignatureCheck(
    SifDescriptor Signature,
    SignatureFormat Format,
    byte[]? Fingerprint,
    PgpPublicKeyRing? Signer,
    IReadOnlyList<SifDescriptor> VerifiedObjects,
    IntegrityError? Error);

/// <summary>The outcome of verifying an image.</summary>
/// <param name="Verified">True when every required signature passed.</param>
/// <param name="Signatures">Every signature examined, in order, including a failing one.</param>
/// <param name="Error">The error that ended verification, or null.</param>
public sealed record VerifyResult(bool Verified, IReadOnlyList<SignatureCheck> Signatures, IntegrityError? Error);
