using System.Security.Cryptography.X509Certificates;

namespace SifSign.Pki;

/// <summary>A validated chain and the key that signatures are then checked with.</summary>
/// <param name="Chain">Leaf first, trust anchor last.</param>
/// <param name="LeafKey">The leaf certificate's public key as a DSSE verification key.</param>
public sealed record CertificateChainResult(IReadOnlyList<X509Certificate2> Chain, PemVerificationKey LeafKey);
