namespace Keyserver.Core.Tests.Packets;

public sealed class PacketReaderTests
{
    [Fact]
    public void Split_OldFormatGpgExport_ReadsEveryPacket()
    {
        var packets = PacketReader.Split(TestVectors.Read("rsa-alice.pgp"), out var error);

        Assert.Null(error);
        // primary, 3 user IDs with 1+1+2 signatures, signing subkey with its binding
        Assert.Equal([6, 13, 2, 13, 2, 13, 2, 2, 14, 2], packets.Select(p => p.Tag));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(191)]
    [InlineData(192)]
    [InlineData(8383)]
    [InlineData(8384)]
    [InlineData(70000)]
    public void Split_NewFormatWrittenByPacket_RoundTrips(int length)
    {
        var body = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var bytes = new Packet(13, body).ToArray();

        var packet = Assert.Single(PacketReader.Split(bytes, out var error));

        Assert.Null(error);
        Assert.Equal(13, packet.Tag);
        Assert.Equal(body, packet.Body.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x88, 0x02, 0xAA, 0xBB }, 2, 2)] // old format, 1-byte length
    [InlineData(new byte[] { 0x89, 0x00, 0x01, 0xAA }, 2, 1)] // old format, 2-byte length
    [InlineData(new byte[] { 0x8A, 0x00, 0x00, 0x00, 0x01, 0xAA }, 2, 1)] // old format, 4-byte length
    [InlineData(new byte[] { 0x8B, 0xAA, 0xBB, 0xCC }, 2, 3)] // old format, indeterminate length
    [InlineData(new byte[] { 0xCD, 0xFF, 0x00, 0x00, 0x00, 0x02, 0x41, 0x42 }, 13, 2)] // new format, 5-byte length
    public void Split_HeaderForms_Parsed(byte[] bytes, int tag, int length)
    {
        var packet = Assert.Single(PacketReader.Split(bytes, out var error));

        Assert.Null(error);
        Assert.Equal(tag, packet.Tag);
        Assert.Equal(length, packet.Body.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x42 }, "not an OpenPGP packet header")]
    [InlineData(new byte[] { 0xC6 }, "truncated packet header")]
    [InlineData(new byte[] { 0xC6, 0xC5 }, "truncated packet header")]
    [InlineData(new byte[] { 0xC6, 0xFF, 0x00 }, "truncated packet header")]
    [InlineData(new byte[] { 0x89, 0x00 }, "truncated packet header")]
    [InlineData(new byte[] { 0xC6, 0x05, 0x01 }, "truncated packet (tag 6)")]
    [InlineData(new byte[] { 0xC6, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x01 }, "truncated packet (tag 6)")]
    [InlineData(new byte[] { 0xCB, 0xE1, 0x00, 0x00 }, "partial-length packet")]
    public void Split_Malformed_ReportsError(byte[] bytes, string expected)
    {
        var packets = PacketReader.Split(bytes, out var error);

        Assert.Empty(packets);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_TruncatedAfterGoodPackets_KeepsThePacketsBefore()
    {
        var bytes = TestVectors.Read("rsa-alice.pgp");

        var packets = PacketReader.Split(bytes.AsMemory(0, bytes.Length - 10), out var error);

        Assert.NotNull(error);
        Assert.Equal(9, packets.Count);
    }

    [Fact]
    public void SameContent_DifferentHeaderForm_IsEqual()
    {
        var oldFormat = Assert.Single(PacketReader.Split(new byte[] { 0xB4, 0x01, 0x41 }, out _));
        var newFormat = Assert.Single(PacketReader.Split(new byte[] { 0xCD, 0x01, 0x41 }, out _));

        Assert.True(oldFormat.SameContent(newFormat));
        Assert.False(oldFormat.SameContent(newFormat with { Tag = 2 }));
    }
}
