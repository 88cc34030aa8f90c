namespace SifSign.Dsse;

/// <summary>One entry of an envelope's <c>signatures</c> array.</summary>
public sealed class DsseSignature
{
    /// <summary>Creates an entry.</summary>
    /// <param name="keyId">The signer's key ID hint (may be empty).</param>
    /// <param name="signature">The raw signature bytes.</param>
    public DsseSignature(string keyId, ReadOnlyMemory<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        KeyId = keyId;
        Signature = signature;
    }

    /// <summary>The key ID hint, <c>SHA256:…</c> for keys of this tool; empty when the signer gave none.</summary>
    public string KeyId { get; }

    /// <summary>The raw (base64-decoded) signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; }
}
