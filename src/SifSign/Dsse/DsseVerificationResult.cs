using SifSign.Pki;

namespace SifSign.Dsse;

/// <summary>A verified envelope: its payload, and the keys whose signatures checked.</summary>
/// <param name="Payload">The verified payload bytes (for SIF: the image metadata JSON).</param>
/// <param name="AcceptedKeys">Every distinct supplied key that verified a signature (at least one).</param>
public sealed record DsseVerificationResult(ReadOnlyMemory<byte> Payload, IReadOnlyList<PemVerificationKey> AcceptedKeys);
