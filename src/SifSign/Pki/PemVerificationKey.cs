namespace SifSign.Pki;

/// <summary>
/// A public key that checks DSSE signatures over PAE bytes with the fixed algorithms of sylabs/sif pkg/integrity (sigstore's signature package)
/// (RSA PKCS#1 v1.5 SHA-256, ECDSA SHA-256 DER, pure Ed25519).
/// </summary>
public abstract class PemVerificationKey
{
    private protected PemVerificationKey()
    {
    }

    /// <summary>The key's algorithm (and curve, for ECDSA).</summary>
    public abstract PemKeyAlgorithm Algorithm { get; }

    /// <summary>
    /// The DSSE key ID: the OpenSSH SHA-256 fingerprint, <c>SHA256:</c> + unpadded base64 of SHA-256 over the
    /// SSH wire-format public key blob (RFC 4253 §6.6).
    /// </summary>
    public abstract string KeyId { get; }

    /// <summary>The key as DER SubjectPublicKeyInfo.</summary>
    public abstract byte[] ExportSubjectPublicKeyInfo();

    /// <summary>The key as a <c>PUBLIC KEY</c> PEM block (SPKI), 64-column base64 and a final newline.</summary>
    public abstract string ExportPem();

    /// <summary>Checks <paramref name="signature"/> over <paramref name="data"/>; false for a bad or malformed signature.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
}
