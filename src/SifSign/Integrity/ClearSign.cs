using System.Text;

namespace SifSign.Integrity;

/// <summary>A decoded OpenPGP clear-signed message.</summary>
/// <param name="Plaintext">The text lines, trailing blanks removed, each ending in LF (as Go's <c>Block.Plaintext</c>).</param>
/// <param name="SignedBytes">The canonical text the signature covers (lines joined with CRLF).</param>
/// <param name="HashHeaders">The values of the <c>Hash:</c> armor headers.</param>
/// <param name="SignaturePackets">The de-armored signature packets.</param>
internal sealed record ClearSignedMessage(byte[] Plaintext, byte[] SignedBytes, IReadOnlyList<string> HashHeaders, byte[] SignaturePackets);

/// <summary>
/// The OpenPGP clear-signed framing (RFC 4880 §7) exactly as go-crypto writes and reads it (sylabs/sif pkg/integrity clearsign.go).
/// BouncyCastle makes the signature; the framing is ours so the bytes match the reference.
/// </summary>
internal static class ClearSign
{
    private const string BeginMessage = "-----BEGIN PGP SIGNED MESSAGE-----";
    private const string BeginSignature = "-----BEGIN PGP SIGNATURE-----";
    private const string EndSignature = "-----END PGP SIGNATURE-----";
    private const int LineLength = 64;

    /// <summary>The canonical text a clear signature covers: CRLF line ends, trailing blanks removed, no final line break.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> message)
    {
        var output = new List<byte>(message.Length + 16);
        var first = true;
        foreach (var line in Lines(message))
        {
            if (!first)
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
            }

            output.AddRange(line.AsSpan().TrimEnd(" \t"u8));
            first = false;
        }

        return [.. output];
    }

    /// <summary>
    /// Frames <paramref name="message"/> and its signature packets. The object ends right after the END
    /// line, with no newline, as in every reference image.
    /// </summary>
    public static byte[] Encode(string hashName, ReadOnlySpan<byte> message, ReadOnlySpan<byte> packets, bool checksum)
    {
        var text = new StringBuilder();
        text.Append(BeginMessage).Append("\nHash: ").Append(hashName).Append("\n\n");
        var first = true;
        foreach (var line in Lines(message))
        {
            text.Append(first ? "" : "\n");
            var s = Encoding.UTF8.GetString(line);
            text.Append(s.StartsWith('-') ? "- " + s : s);
            first = false;
        }

        text.Append('\n').Append(BeginSignature).Append("\n\n");
        var base64 = Convert.ToBase64String(packets);
        for (var i = 0; i < base64.Length; i += LineLength)
        {
            text.Append(i == 0 ? "" : "\n").Append(base64.AsSpan(i, Math.Min(LineLength, base64.Length - i)));
        }

        if (checksum)
        {
            var crc = Crc24(packets);
            text.Append("\n=").Append(Convert.ToBase64String(unchecked([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc])));
        }

        text.Append('\n').Append(EndSignature);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Finds and decodes the first clear-signed message in <paramref name="data"/> as go-crypto's
    /// <c>clearsign.Decode</c> does. Returns null when there is none (or its armor is broken).
    /// </summary>
    public static ClearSignedMessage? Decode(ReadOnlySpan<byte> data)
    {
        var rest = data;
        var start = "\n-----BEGIN PGP SIGNED MESSAGE-----"u8;
        if (data.StartsWith(start[1..]))
        {
            rest = rest[(start.Length - 1)..];
        }
        else if (data.IndexOf(start) is var i and >= 0)
        {
            rest = rest[(i + start.Length)..];
        }
        else
        {
            return null;
        }

        if (!GetLine(ref rest).IsEmpty)
        {
            return null;
        }

        var hashes = new List<string>();
        while (true)
        {
            if (rest.IsEmpty)
            {
                return null;
            }

            var line = GetLine(ref rest);
            if (line.IsEmpty)
            {
                break;
            }

            // Like go-crypto: printable ASCII only, and "Hash" is the only header a clear-signed message may carry.
            var colon = line.IndexOf((byte)':');
            if (line.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) >= 0 || colon < 0
                || Encoding.ASCII.GetString(line[..colon]).Trim() != "Hash")
            {
                return null;
            }

            hashes.AddRange(Encoding.ASCII.GetString(line[(colon + 1)..]).Split(',').Select(v => v.Trim()));
        }

        var signed = new List<byte>();
        var plain = new List<byte>();
        var firstLine = true;
        var endText = "-----BEGIN PGP SIGNATURE-----"u8;
        ReadOnlySpan<byte> armored;
        while (true)
        {
            var before = rest;
            var line = GetLine(ref rest);
            if (line.IsEmpty && rest.IsEmpty)
            {
                return null;
            }

            if (line.SequenceEqual(endText))
            {
                armored = before;
                break;
            }

            if (!firstLine)
            {
                signed.Add((byte)'\r');
                signed.Add((byte)'\n');
            }

            firstLine = false;
            if (line.StartsWith("- "u8))
            {
                line = line[2..];
            }

            line = line.TrimEnd(" \t"u8);
            signed.AddRange(line);
            plain.AddRange(line);
            plain.Add((byte)'\n');
        }

        var packets = Dearmor(armored);
        return packets is null ? null : new ClearSignedMessage([.. plain], [.. signed], hashes, packets);
    }

    /// <summary>CRC-24 of RFC 4880 §6.1.</summary>
    public static uint Crc24(ReadOnlySpan<byte> data)
    {
        var crc = 0xB704CEu;
        foreach (var b in data)
        {
            crc ^= (uint)b << 16;
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

    private static List<byte[]> Lines(ReadOnlySpan<byte> message)
    {
        var lines = new List<byte[]>();
        var rest = message;
        while (true)
        {
            var n = rest.IndexOf((byte)'\n');
            if (n < 0)
            {
                lines.Add(rest.ToArray());
                return lines;
            }

            var line = rest[..n];
            lines.Add((line.EndsWith("\r"u8) ? line[..^1] : line).ToArray());
            rest = rest[(n + 1)..];
        }
    }

    private static ReadOnlySpan<byte> GetLine(ref ReadOnlySpan<byte> data)
    {
        var i = data.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line;
        if (i < 0)
        {
            line = data;
            data = [];
            return line;
        }

        line = i > 0 && data[i - 1] == '\r' ? data[..(i - 1)] : data[..i];
        data = data[(i + 1)..];
        return line;
    }

    /// <summary>Decodes an ASCII-armored block (headers, base64, optional CRC line); null if malformed.</summary>
    private static byte[]? Dearmor(ReadOnlySpan<byte> armored)
    {
        var rest = armored;
        var begin = GetLine(ref rest);
        if (!begin.StartsWith("-----BEGIN "u8) || !begin.EndsWith("-----"u8))
        {
            return null;
        }

        var body = new StringBuilder();
        var inHeaders = true;
        uint? expectedCrc = null;
        while (true)
        {
            if (rest.IsEmpty)
            {
                return null;
            }

            var line = GetLine(ref rest).TrimEnd(" \t"u8);
            if (inHeaders)
            {
                inHeaders = !line.IsEmpty;
                if (line.IndexOf(": "u8) >= 0 || line.IsEmpty)
                {
                    continue;
                }

                inHeaders = false;
            }

            if (line.StartsWith("-----END "u8))
            {
                break;
            }

            if (line.Length == 5 && line[0] == '=')
            {
                if (!TryBase64(Encoding.ASCII.GetString(line[1..]), out var crcBytes) || crcBytes.Length != 3)
                {
                    return null;
                }

                expectedCrc = ((uint)crcBytes[0] << 16) | ((uint)crcBytes[1] << 8) | crcBytes[2];
                if (!GetLine(ref rest).StartsWith("-----END "u8))
                {
                    return null;
                }

                break;
            }

            body.Append(Encoding.ASCII.GetString(line));
        }

        if (!TryBase64(body.ToString(), out var packets))
        {
            return null;
        }

        return expectedCrc is { } crc && crc != Crc24(packets) ? null : packets;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
