using System.Globalization;
using SifSign.Pki;

namespace SifSign.Dsse;

/// <summary>
/// Checks DSSE envelopes by the rules of the DSSE v1 protocol (go-securesystemslib <c>VerifyAndDecode</c> with sigstore's
/// threshold of one).
/// </summary>
public static class DsseVerifier
{
    /// <summary>
    /// Verifies <paramref name="envelope"/>. Each signature is tried against each key not yet used, skipping a
    /// pair whose key IDs are both non-empty and differ; a key that verifies is accepted and leaves the pool.
    /// One accepted key is enough; signatures nobody can check do not hurt.
    /// </summary>
    /// <exception cref="DsseVerificationException">Wrong payload type, or no supplied key verified a signature.</exception>
    public static DsseVerificationResult Verify(DsseEnvelope envelope, string expectedPayloadType, IReadOnlyList<PemVerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(expectedPayloadType);
        ArgumentNullException.ThrowIfNull(keys);
        if (!string.Equals(envelope.PayloadType, expectedPayloadType, StringComparison.Ordinal))
        {
            throw new DsseVerificationException(
                $"dsse: unexpected payload type \"{envelope.PayloadType}\" (expected \"{expectedPayloadType}\")");
        }

        var pae = Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
        var pool = keys.ToList();
        var accepted = new List<PemVerificationKey>();
        foreach (var signature in envelope.Signatures)
        {
            foreach (var key in pool)
            {
                if (signature.KeyId.Length > 0 && !string.Equals(signature.KeyId, key.KeyId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (key.Verify(pae, signature.Signature.Span))
                {
                    accepted.Add(key);
                    pool.Remove(key);
                    break;
                }
            }
        }

        if (accepted.Count == 0)
        {
            throw new DsseVerificationException(string.Create(
                CultureInfo.InvariantCulture,
                $"dsse: verify envelope failed: accepted signatures do not match threshold, Found: 0, Expected 1 ({envelope.Signatures.Count} signature(s), {keys.Count} key(s) supplied)"));
        }

        return new DsseVerificationResult(envelope.Payload, accepted);
    }

    /// <summary>Verifies a SIF metadata envelope and returns the metadata JSON (payload type as sylabs/sif pkg/integrity writes it).</summary>
    /// <exception cref="DsseVerificationException">As <see cref="Verify"/>.</exception>
    public static DsseVerificationResult VerifySifMetadata(DsseEnvelope envelope, IReadOnlyList<PemVerificationKey> keys) =>
        Verify(envelope, DsseEnvelope.SifMetadataPayloadType, keys);
}
