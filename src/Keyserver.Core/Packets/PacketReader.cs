namespace Keyserver.Core.Packets;

/// <summary>
/// Splits binary OpenPGP data into packets by reading old- and new-format headers (RFC 9580 §4.2).
/// Ours rather than BouncyCastle's because size limits and content de-duplication must see every
/// packet before anything is interpreted, and a hostile length must fail cleanly.
/// </summary>
internal static class PacketReader
{
    /// <summary>
    /// Reads every packet of <paramref name="data"/>. Stops at the first malformed header and returns
    /// the packets before it together with the error.
    /// </summary>
    public static List<Packet> Split(ReadOnlyMemory<byte> data, out string? error)
    {
        var packets = new List<Packet>();
        var span = data.Span;
        var offset = 0;
        error = null;
        while (offset < span.Length)
        {
            var start = offset;
            var header = span[offset++];
            if ((header & 0x80) == 0)
            {
                error = $"not an OpenPGP packet header at offset {start}";
                return packets;
            }

            int tag;
            long length;
            if ((header & 0x40) != 0)
            {
                tag = header & 0x3F;
                if (offset >= span.Length)
                {
                    error = $"truncated packet header at offset {start}";
                    return packets;
                }

                var first = span[offset++];
                if (first < 192)
                {
                    length = first;
                }
                else if (first < 224)
                {
                    if (offset >= span.Length)
                    {
                        error = $"truncated packet header at offset {start}";
                        return packets;
                    }

                    length = ((first - 192) << 8) + span[offset++] + 192;
                }
                else if (first == 255)
                {
                    if (offset + 4 > span.Length)
                    {
                        error = $"truncated packet header at offset {start}";
                        return packets;
                    }

                    length = ((long)span[offset] << 24) | ((long)span[offset + 1] << 16) | ((long)span[offset + 2] << 8) | span[offset + 3];
                    offset += 4;
                }
                else
                {
                    // Partial body lengths exist for streamed data packets only; keys never use them.
                    error = $"partial-length packet (tag {tag}) at offset {start}: not allowed in keys";
                    return packets;
                }
            }
            else
            {
                tag = (header >> 2) & 0x0F;
                var lengthType = header & 0x03;
                var lengthBytes = lengthType switch { 0 => 1, 1 => 2, 2 => 4, _ => 0 };
                if (offset + lengthBytes > span.Length)
                {
                    error = $"truncated packet header at offset {start}";
                    return packets;
                }

                if (lengthType == 3)
                {
                    // Indeterminate length: the packet runs to the end of the data.
                    length = span.Length - offset;
                }
                else
                {
                    length = 0;
                    for (var i = 0; i < lengthBytes; i++)
                    {
                        length = (length << 8) | span[offset + i];
                    }

                    offset += lengthBytes;
                }
            }

            if (length > span.Length - offset)
            {
                error = $"truncated packet (tag {tag}) at offset {start}: {length} bytes announced, {span.Length - offset} present";
                return packets;
            }

            packets.Add(new Packet(tag, data.Slice(offset, (int)length)));
            offset += (int)length;
        }

        return packets;
    }
}
