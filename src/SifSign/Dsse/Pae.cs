using System.Globalization;
using System.Text;

namespace SifSign.Dsse;

/// <summary>DSSE pre-authentication encoding, the bytes a DSSE signature covers (DSSE v1 protocol.md, PAE).</summary>
public static class Pae
{
    /// <summary>
    /// <c>"DSSEv1" SP len(type) SP type SP len(payload) SP payload</c>, lengths as ASCII decimal byte counts.
    /// </summary>
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        var result = new byte[header.Length + type.Length + middle.Length + payload.Length];
        var span = result.AsSpan();
        header.CopyTo(span);
        type.CopyTo(span[header.Length..]);
        middle.CopyTo(span[(header.Length + type.Length)..]);
        payload.CopyTo(span[(header.Length + type.Length + middle.Length)..]);
        return result;
    }
}
