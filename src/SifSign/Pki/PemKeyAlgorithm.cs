namespace SifSign.Pki;

/// <summary>The public-key algorithms accepted for DSSE signing and verification (sylabs/sif pkg/integrity with sigstore signers).</summary>
public enum PemKeyAlgorithm
{
    /// <summary>RSA of any size, signing with RSASSA-PKCS1-v1_5 over SHA-256.</summary>
    Rsa,

    /// <summary>ECDSA on NIST P-256, ASN.1 DER signatures over SHA-256.</summary>
    EcdsaP256,

    /// <summary>ECDSA on NIST P-384, ASN.1 DER signatures over SHA-256.</summary>
    EcdsaP384,

    /// <summary>ECDSA on NIST P-521, ASN.1 DER signatures over SHA-256.</summary>
    EcdsaP521,

    /// <summary>Pure Ed25519 (no pre-hash), 64-byte signatures.</summary>
    Ed25519,
}
