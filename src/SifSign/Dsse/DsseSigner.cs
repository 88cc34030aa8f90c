using SifSign.Pki;

namespace SifSign.Dsse;

/// <summary>Makes DSSE envelopes (DSSE v1 envelope.md and protocol.md): one signature per key, in key order, over the PAE.</summary>
public static class DsseSigner
{
    /// <summary>Signs <paramref name="payload"/> with every key in <paramref name="keys"/>.</summary>
    /// <exception cref="ArgumentException">No keys.</exception>
    public static DsseEnvelope Sign(string payloadType, ReadOnlyMemory<byte> payload, IReadOnlyList<PemSigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("at least one signing key is required", nameof(keys));
        }

        var pae = Pae.Encode(payloadType, payload.Span);
        var signatures = keys.Select(key => new DsseSignature(key.KeyId, key.Sign(pae))).ToList();
        return new DsseEnvelope(payloadType, payload, signatures);
    }

    /// <summary>Signs SIF image metadata JSON with one key (what <c>sifsign sign --key</c> does).</summary>
    public static DsseEnvelope SignSifMetadata(ReadOnlyMemory<byte> metadataJson, PemSigningKey key) =>
        Sign(DsseEnvelope.SifMetadataPayloadType, metadataJson, [key]);
}
