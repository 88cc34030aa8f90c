namespace SifSign.Pki;

/// <summary>A freshly generated key pair as PEM text.</summary>
/// <param name="PrivateKeyPem">The private key, unencrypted PKCS#8 (<c>PRIVATE KEY</c>). Store it with mode 0600.</param>
/// <param name="PublicKeyPem">The public key, SubjectPublicKeyInfo (<c>PUBLIC KEY</c>).</param>
/// <param name="KeyId">The DSSE key ID of the pair (OpenSSH SHA-256 fingerprint).</param>
public sealed record PemKeyPair(string PrivateKeyPem, string PublicKeyPem, string KeyId);
