using SifSign.Integrity;
using SifSign.Pki;
using SifSign.Sif;

namespace SifSign.Dsse;

/// <summary>
/// Plugs DSSE into <see cref="ImageSigner"/>: wraps the image metadata in an envelope signed with a PEM key
/// (sylabs/sif pkg/integrity sign.go; DSSE v1). The descriptor gets hash type SHA-256 and no fingerprint, as the reference writes.
/// </summary>
public sealed class DsseSignatureEncoder : ISignatureEncoder
{
    private readonly PemSigningKey key;

    /// <summary>Creates an encoder that signs with <paramref name="key"/>.</summary>
    public DsseSignatureEncoder(PemSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        this.key = key;
    }

    /// <inheritdoc/>
    public SifHashType HashType => SifHashType.Sha256;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Fingerprint => ReadOnlyMemory<byte>.Empty;

    /// <inheritdoc/>
    public byte[] Encode(ReadOnlySpan<byte> metadata) => DsseSigner.SignSifMetadata(metadata.ToArray(), key).Serialize();
}
