using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>
/// Wraps metadata JSON into a signature object (a PGP clear-signed message, or a DSSE envelope) and
/// says what goes into the signature descriptor. <see cref="ImageSigner"/> writes the result.
/// </summary>
public interface ISignatureEncoder
{
    /// <summary>The hash type recorded in the descriptor (SHA-256 for both reference formats).</summary>
    SifHashType HashType { get; }

    /// <summary>The 20-byte primary-key fingerprint for the descriptor, or empty (DSSE).</summary>
    ReadOnlyMemory<byte> Fingerprint { get; }

    /// <summary>Signs <paramref name="metadata"/> and returns the complete signature object bytes.</summary>
    byte[] Encode(ReadOnlySpan<byte> metadata);
}

/// <summary>
/// Verifies signature objects that are envelopes (DSSE v1) and returns the verified payload. The
/// DSSE implementation plugs in here; <see cref="ImageVerifier"/> recognises envelopes itself.
/// </summary>
public interface IEnvelopeVerifier
{
    /// <summary>
    /// Verifies <paramref name="envelope"/> and returns the payload (metadata JSON). Throws
    /// <see cref="IntegrityException"/> whose message is the cause (e.g.
    /// <c>dsse: verify envelope failed: …</c>) when no supplied key verifies it.
    /// </summary>
    byte[] Verify(ReadOnlySpan<byte> envelope);
}
