namespace Keyserver.Core.Tests.Packets;

public sealed class ArmorDecoderTests
{
    private static readonly byte[] Data = TestVectors.Binary("ed25519-eve.asc");
    private static readonly string Armored = Encoding.ASCII.GetString(KeyArmor.Armor([Data]));

    private static ArmorBlock DecodeOne(string text)
    {
        var block = Assert.Single(ArmorDecoder.Decode(Encoding.Latin1.GetBytes(text)));
        return block;
    }

    [Fact]
    public void Decode_OwnArmor_ReturnsData()
    {
        var block = DecodeOne(Armored);

        Assert.Null(block.Error);
        Assert.Equal("PUBLIC KEY BLOCK", block.Type);
        Assert.Equal(Data, block.Data);
    }

    [Fact]
    public void Decode_GpgArmorWithHeadersAndCrc_ReturnsData()
    {
        var block = DecodeOne(Encoding.ASCII.GetString(TestVectors.Read("dsa-elg-dave.asc")));

        Assert.Null(block.Error);
        Assert.Equal(6, PacketReader.Split(block.Data, out _)[0].Tag);
    }

    [Fact]
    public void Decode_NoTrailingNewline_ReturnsData() =>
        Assert.Equal(Data, DecodeOne(Armored.TrimEnd('\n')).Data);

    [Fact]
    public void Decode_CrLfLineEnds_ReturnsData() =>
        Assert.Equal(Data, DecodeOne(Armored.Replace("\n", "\r\n", StringComparison.Ordinal)).Data);

    [Fact]
    public void Decode_VersionAndCommentHeaders_AreSkipped()
    {
        var text = Armored.Replace("-----\n\n", "-----\nVersion: GnuPG v2\nComment: https://example.org: a comment\n\n", StringComparison.Ordinal);

        Assert.Equal(Data, DecodeOne(text).Data);
    }

    [Fact]
    public void Decode_NoBlankLineAfterHeader_ReturnsData() =>
        Assert.Equal(Data, DecodeOne(Armored.Replace("-----\n\n", "-----\n", StringComparison.Ordinal)).Data);

    [Fact]
    public void Decode_MissingChecksumLine_ReturnsData()
    {
        var lines = Armored.Split('\n').Where(l => !(l.StartsWith('=') && l.Length == 5));

        Assert.Equal(Data, DecodeOne(string.Join('\n', lines)).Data);
    }

    [Fact]
    public void Decode_BadChecksum_ReportsError()
    {
        var lines = Armored.Split('\n');
        var crc = Array.FindIndex(lines, l => l.StartsWith('=') && l.Length == 5);
        lines[crc] = lines[crc] == "=AAAA" ? "=BBBB" : "=AAAA";

        var block = DecodeOne(string.Join('\n', lines));

        Assert.Null(block.Data);
        Assert.Contains("bad checksum", block.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MalformedChecksum_ReportsError()
    {
        var lines = Armored.Split('\n');
        var crc = Array.FindIndex(lines, l => l.StartsWith('=') && l.Length == 5);
        lines[crc] = "=A!A!";

        Assert.Contains("checksum", DecodeOne(string.Join('\n', lines)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidBase64_ReportsError()
    {
        var block = DecodeOne("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ!!*&\n-----END PGP PUBLIC KEY BLOCK-----\n");

        Assert.Contains("not valid base64", block.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptyBlock_ReportsError() =>
        Assert.Contains("empty", DecodeOne("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----\n").Error, StringComparison.Ordinal);

    [Fact]
    public void Decode_NoEndLine_ReportsError() =>
        Assert.Contains("no END line", DecodeOne("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n").Error, StringComparison.Ordinal);

    [Fact]
    public void Decode_MismatchedEndLine_ReportsError() =>
        Assert.Contains("no END line", DecodeOne(Armored.Replace("END PGP PUBLIC KEY BLOCK", "END PGP SIGNATURE", StringComparison.Ordinal)).Error, StringComparison.Ordinal);

    [Fact]
    public void Decode_HeaderLineWithoutDashes_ReportsError() =>
        Assert.Contains("malformed armor header", DecodeOne("-----BEGIN PGP PUBLIC KEY BLOCK\nabc\n").Error, StringComparison.Ordinal);

    [Fact]
    public void Decode_SeveralBlocksWithTextAround_ReturnsEach()
    {
        var other = Encoding.ASCII.GetString(TestVectors.Read("nistp256-nina.asc"));
        var text = "Here are my keys:\n" + Armored + "\nand another one\r\n" + other + "\n-- \nAlice\n";

        var blocks = ArmorDecoder.Decode(Encoding.ASCII.GetBytes(text));

        Assert.Equal(2, blocks.Count);
        Assert.All(blocks, b => Assert.Null(b.Error));
        Assert.Equal(Data, blocks[0].Data);
    }

    [Fact]
    public void Decode_NoArmor_ReturnsNothing()
    {
        Assert.Empty(ArmorDecoder.Decode("just some text"u8));
        Assert.False(ArmorDecoder.LooksArmored("just some text"u8));
    }

    [Fact]
    public void Decode_SignatureBlock_KeepsType() =>
        Assert.Equal("SIGNATURE", DecodeOne(Armored.Replace("PUBLIC KEY BLOCK", "SIGNATURE", StringComparison.Ordinal)).Type);

    [Fact]
    public void Crc24_KnownValue_Matches()
    {
        // RFC 9580 §6.1.1 initial value: the CRC of no data is the initialisation vector.
        Assert.Equal(0xB704CE, Crc24.Compute([]));
    }

    [Fact]
    public void Crc24_CheckString_MatchesCatalogue()
    {
        // The CRC-24/OPENPGP check value from the CRC catalogue: the CRC of the ASCII digits 1 to 9.
        Assert.Equal(0x21CF02, Crc24.Compute("123456789"u8));
    }
}
