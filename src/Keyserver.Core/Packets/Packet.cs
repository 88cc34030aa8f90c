namespace Keyserver.Core.Packets;

/// <summary>One OpenPGP packet: its tag and body, without the header (RFC 9580 §4.2).</summary>
/// <param name="Tag">Packet type ID.</param>
/// <param name="Body">The packet body.</param>
internal readonly record struct Packet(int Tag, ReadOnlyMemory<byte> Body)
{
    public const int Signature = 2;
    public const int SecretKey = 5;
    public const int PublicKey = 6;
    public const int SecretSubkey = 7;
    public const int Marker = 10;
    public const int Trust = 12;
    public const int UserId = 13;
    public const int PublicSubkey = 14;
    public const int UserAttribute = 17;

    /// <summary>The packet with a new-format header, as we store and serve it.</summary>
    public void WriteTo(Stream output)
    {
        output.WriteByte((byte)(0xC0 | Tag));
        var length = Body.Length;
        if (length < 192)
        {
            output.WriteByte((byte)length);
        }
        else if (length < 8384)
        {
            var rest = length - 192;
            output.WriteByte((byte)((rest >> 8) + 192));
            output.WriteByte((byte)rest);
        }
        else
        {
            output.WriteByte(0xFF);
            output.WriteByte((byte)(length >> 24));
            output.WriteByte((byte)(length >> 16));
            output.WriteByte((byte)(length >> 8));
            output.WriteByte((byte)length);
        }

        output.Write(Body.Span);
    }

    /// <summary>The packet with its header, as one array.</summary>
    public byte[] ToArray()
    {
        using var buffer = new MemoryStream(Body.Length + 6);
        WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>True when both packets have the same tag and body bytes (header form ignored).</summary>
    public bool SameContent(Packet other) => Tag == other.Tag && Body.Span.SequenceEqual(other.Body.Span);
}
