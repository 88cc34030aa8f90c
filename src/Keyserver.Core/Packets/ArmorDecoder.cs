using System.Text;

namespace Keyserver.Core.Packets;

/// <summary>One ASCII-armored block found in the input: its type and data, or why it is unusable.</summary>
/// <param name="Type">The word after <c>BEGIN PGP</c>, for example <c>PUBLIC KEY BLOCK</c>.</param>
/// <param name="Data">The decoded binary, or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">What is wrong with the block, or null.</param>
internal sealed record ArmorBlock(string Type, byte[]? Data, string? Error);

/// <summary>
/// Reads ASCII armor (RFC 9580 §6) the way clients actually send it: several blocks, text around them,
/// with or without headers, blank line, checksum line or trailing newline. Hand-written because
/// BouncyCastle's armored stream handles one block at a time and is strict about what surrounds it.
/// </summary>
internal static class ArmorDecoder
{
    private const string BeginMarker = "-----BEGIN PGP ";
    private const string Dashes = "-----";

    /// <summary>True when the input contains an armor header line.</summary>
    public static bool LooksArmored(ReadOnlySpan<byte> input) => input.IndexOf("-----BEGIN PGP "u8) >= 0;

    /// <summary>Every armored block of <paramref name="input"/> in order.</summary>
    public static List<ArmorBlock> Decode(ReadOnlySpan<byte> input)
    {
        // Latin-1 maps each byte to one char, so offsets stay byte offsets and nothing can fail to decode.
        var text = Encoding.Latin1.GetString(input);
        var blocks = new List<ArmorBlock>();
        var position = 0;
        while (true)
        {
            var begin = text.IndexOf(BeginMarker, position, StringComparison.Ordinal);
            if (begin < 0)
            {
                return blocks;
            }

            var typeStart = begin + BeginMarker.Length;
            var typeEnd = text.IndexOf(Dashes, typeStart, StringComparison.Ordinal);
            var lineEnd = text.IndexOf('\n', typeStart);
            if (typeEnd < 0 || (lineEnd >= 0 && typeEnd > lineEnd) || typeEnd - typeStart > 64)
            {
                blocks.Add(new ArmorBlock("", null, "malformed armor header line"));
                position = typeStart;
                continue;
            }

            var type = text[typeStart..typeEnd];
            var endLine = "-----END PGP " + type + Dashes;
            var end = text.IndexOf(endLine, typeEnd, StringComparison.Ordinal);
            if (end < 0)
            {
                blocks.Add(new ArmorBlock(type, null, $"armor block '{type}' has no END line"));
                return blocks;
            }

            // The body starts on the line after the BEGIN line.
            var bodyStart = lineEnd >= 0 && lineEnd < end ? lineEnd + 1 : typeEnd + Dashes.Length;
            blocks.Add(DecodeBody(type, text.AsSpan(bodyStart, end - bodyStart)));
            position = end + endLine.Length;
        }
    }

    private static ArmorBlock DecodeBody(string type, ReadOnlySpan<char> body)
    {
        var base64 = new StringBuilder(body.Length);
        string? checksum = null;
        var inHeaders = true;
        foreach (var rawLine in body.EnumerateLines())
        {
            var line = rawLine.Trim();
            if (inHeaders)
            {
                if (line.IsEmpty)
                {
                    inHeaders = false;
                    continue;
                }

                // Some clients omit the blank line after the headers; a line without ':' is data.
                if (line.Contains(':'))
                {
                    continue;
                }

                inHeaders = false;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == '=' && line.Length == 5)
            {
                checksum = line[1..].ToString();
                continue;
            }

            base64.Append(line);
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64.ToString());
        }
        catch (FormatException)
        {
            return new ArmorBlock(type, null, $"armor block '{type}' is not valid base64");
        }

        if (checksum is not null)
        {
            byte[] crc;
            try
            {
                crc = Convert.FromBase64String(checksum);
            }
            catch (FormatException)
            {
                return new ArmorBlock(type, null, $"armor block '{type}' has a malformed checksum line");
            }

            var expected = (crc[0] << 16) | (crc[1] << 8) | crc[2];
            if (Crc24.Compute(data) != expected)
            {
                return new ArmorBlock(type, null, $"armor block '{type}' has a bad checksum");
            }
        }

        return data.Length == 0
            ? new ArmorBlock(type, null, $"armor block '{type}' is empty")
            : new ArmorBlock(type, data, null);
    }
}

/// <summary>The CRC-24 of RFC 9580 §6.1.1.</summary>
internal static class Crc24
{
    private const int Polynomial = 0x1864CFB;

    // One table lookup per byte instead of eight shift-and-test steps: armoring the published view
    // of every key made the bitwise loop a visible share of a bulk import.
    private static readonly int[] Table = BuildTable();

    public static int Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xB704CE;
        foreach (var b in data)
        {
            crc = (crc << 8) ^ Table[((crc >> 16) ^ b) & 0xFF];
        }

        return crc & 0xFFFFFF;
    }

    private static int[] BuildTable()
    {
        var table = new int[256];
        for (var n = 0; n < 256; n++)
        {
            var crc = n << 16;
            for (var i = 0; i < 8; i++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= Polynomial;
                }
            }

            table[n] = crc & 0xFFFFFF;
        }

        return table;
    }
}
