using SifSign.Integrity;
using SifSign.Pki;

namespace SifSign.Dsse;

/// <summary>
/// Plugs DSSE into <see cref="ImageVerifier"/> (<see cref="VerifyOptions.Envelope"/>): checks envelope signature
/// objects with the supplied keys (from <c>--key</c> or a validated <c>--certificate</c>) by the DSSE v1 protocol (secure-systems-lab/dsse protocol.md).
/// </summary>
public sealed class DsseEnvelopeVerifier : IEnvelopeVerifier
{
    private readonly IReadOnlyList<PemVerificationKey> keys;

    /// <summary>Creates a verifier over <paramref name="keys"/>.</summary>
    public DsseEnvelopeVerifier(IReadOnlyList<PemVerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        this.keys = keys;
    }

    /// <inheritdoc/>
    public byte[] Verify(ReadOnlySpan<byte> envelope)
    {
        try
        {
            return DsseVerifier.VerifySifMetadata(DsseEnvelope.Parse(envelope), keys).Payload.ToArray();
        }
        catch (Exception ex) when (ex is DsseFormatException or DsseVerificationException)
        {
            throw new IntegrityException(ex.Message, ex);
        }
    }
}
