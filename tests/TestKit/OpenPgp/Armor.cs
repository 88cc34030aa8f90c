namespace TestKit.OpenPgp;

/// <summary>
/// ASCII armor (RFC 9580 §6.2) written here, independently of the code under test, so tests can also
/// break it: a header-less block (as gpg 2.2 writes it) with a CRC-24 line, ending in a newline.
/// </summary>
public static class Armor
{
    /// <summary>Armors binary packets; the block type follows the first packet (tag 5: a secret key).</summary>
    public static string Encode(byte[] data)
    {
        // New-format packet headers carry the tag in bits 5-0, old-format ones in bits 5-2; 5 is a secret key.
        var tag = (data[0] & 0x40) != 0 ? data[0] & 0x3F : (data[0] >> 2) & 0x0F;
        var type = tag == 5 ? "PRIVATE KEY BLOCK" : "PUBLIC KEY BLOCK";
        var text = new StringBuilder();
        text.Append("-----BEGIN PGP ").Append(type).Append("-----\n\n");
        var base64 = Convert.ToBase64String(data);
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64.AsSpan(i, Math.Min(64, base64.Length - i))).Append('\n');
        }

        text.Append(Checksum(data)).Append('\n');
        text.Append("-----END PGP ").Append(type).Append("-----\n");
        return text.ToString();
    }

    /// <summary>The armor checksum line of <paramref name="data"/>: '=' and the base64 of its CRC-24.</summary>
    public static string Checksum(byte[] data)
    {
        var crc = Crc24(data);
        return "=" + Convert.ToBase64String([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
    }

    /// <summary>The CRC-24 of RFC 9580 §6.1.1 (RFC 4880 §6.1).</summary>
    public static int Crc24(byte[] data)
    {
        var crc = 0xB704CE;
        foreach (var b in data)
        {
            crc ^= b << 16;
            for (var i = 0; i < 8; i++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= 0x1864CFB;
                }
            }
        }

        return crc & 0xFFFFFF;
    }
}
