namespace SifSign.Pki;

/// <summary>A private key that makes DSSE signatures with the fixed algorithms of sylabs/sif pkg/integrity (sigstore's signature package).</summary>
public abstract class PemSigningKey
{
    private protected PemSigningKey()
    {
    }

    /// <summary>The matching public key.</summary>
    public abstract PemVerificationKey PublicKey { get; }

    /// <summary>The key's algorithm (and curve, for ECDSA).</summary>
    public PemKeyAlgorithm Algorithm => PublicKey.Algorithm;

    /// <summary>The DSSE key ID of the public key (OpenSSH SHA-256 fingerprint).</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>Signs <paramref name="data"/> (RSA: raw modulus-length bytes; ECDSA: DER; Ed25519: 64 bytes).</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> data);
}
