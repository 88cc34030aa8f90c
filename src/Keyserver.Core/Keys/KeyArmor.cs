using System.Text;
using Keyserver.Core.Packets;

namespace Keyserver.Core.Keys;

/// <summary>Writes keys as ASCII armor (RFC 9580 §6.2).</summary>
public static class KeyArmor
{
    /// <summary>
    /// One <c>PGP PUBLIC KEY BLOCK</c> holding all <paramref name="binaryKeys"/> one after another, with
    /// no Version header, 64-character lines, a CRC-24 line (older clients require it) and a final newline.
    /// </summary>
    /// <param name="binaryKeys">Binary transferable public keys.</param>
    /// <returns>The armor as UTF-8 (pure ASCII) bytes.</returns>
    public static byte[] Armor(IEnumerable<byte[]> binaryKeys)
    {
        ArgumentNullException.ThrowIfNull(binaryKeys);
        using var joined = new MemoryStream();
        foreach (var key in binaryKeys)
        {
            joined.Write(key);
        }

        var data = joined.GetBuffer().AsSpan(0, (int)joined.Length);
        var base64 = Convert.ToBase64String(data);
        var text = new StringBuilder(base64.Length + (base64.Length / 64) + 100);
        text.Append("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n");
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64.AsSpan(i, Math.Min(64, base64.Length - i))).Append('\n');
        }

        var crc = Crc24.Compute(data);
        text.Append('=').Append(Convert.ToBase64String([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc])).Append('\n');
        text.Append("-----END PGP PUBLIC KEY BLOCK-----\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
