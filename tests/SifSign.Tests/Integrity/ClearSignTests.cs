namespace SifSign.Tests.Integrity;

public class ClearSignTests
{
    [Fact]
    public void Decode_ReferenceMessageWithCrc_SignedBytesAreTheJson()
    {
        var golden = File.ReadAllBytes(Fixtures.IntegrityGolden("Test_clearsignEncoder_signMessage", "OK"));

        var message = ClearSign.Decode(golden)!;

        Assert.Equal("{\"One\":1,\"Two\":2}"u8.ToArray(), message.SignedBytes);
        Assert.Equal("{\"One\":1,\"Two\":2}\n"u8.ToArray(), message.Plaintext);
        Assert.Equal(["SHA256"], message.HashHeaders);
    }

    [Fact]
    public void Encode_ReferenceKeyFixedTime2020Style_MatchesReferenceGolden()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Fixtures.FixedTime));
        var encoder = new PgpClearSignEncoder(Fixtures.PrivateKey, Fixtures.PrimaryKey, time) { Salt = false, ArmorChecksum = true, ModernCriticality = false };

        var encoded = encoder.Encode("{\"One\":1,\"Two\":2}"u8);

        Assert.Equal(File.ReadAllBytes(Fixtures.IntegrityGolden("Test_clearsignEncoder_signMessage", "OK")), encoded);
    }

    [Fact]
    public void Encode_Default_NoCrcLineAndNoTrailingNewline()
    {
        var encoded = Encoding.ASCII.GetString(new PgpClearSignEncoder(Fixtures.PrivateKey, Fixtures.PrimaryKey).Encode("{}"u8));

        Assert.DoesNotContain("\n=", encoded, StringComparison.Ordinal);
        Assert.EndsWith("-----END PGP SIGNATURE-----", encoded, StringComparison.Ordinal);
        Assert.NotNull(ClearSign.Decode(Encoding.ASCII.GetBytes(encoded)));
    }

    [Fact]
    public void Canonicalize_TrailingBlanksAndLineEnds_StrippedAndCrlfJoined()
    {
        var canonical = ClearSign.Canonicalize("a \t\r\nb\n\nc  \n"u8);

        Assert.Equal("a\r\nb\r\n\r\nc\r\n"u8.ToArray(), canonical);
    }

    [Fact]
    public void EncodeThenDecode_DashLines_EscapedAndRestored()
    {
        var framed = ClearSign.Encode("SHA256", "-dash\nplain"u8, [1, 2, 3], checksum: false);

        Assert.Contains("\n- -dash\n", Encoding.ASCII.GetString(framed), StringComparison.Ordinal);
        var decoded = ClearSign.Decode(framed)!;
        Assert.Equal("-dash\r\nplain"u8.ToArray(), decoded.SignedBytes);
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.SignaturePackets);
    }

    [Fact]
    public void Decode_LeadingTextBeforeMessage_Found()
    {
        var framed = ClearSign.Encode("SHA256", "{}"u8, [9, 9], checksum: true);

        var decoded = ClearSign.Decode([.. "junk\n"u8, .. framed]);

        Assert.NotNull(decoded);
    }

    [Theory]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\nAAEC\n")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----extra\nHash: SHA256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\nAAEC\n-----END PGP SIGNATURE-----")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA\u00e9256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\nAAEC\n-----END PGP SIGNATURE-----")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\nAAEC\n=AAA\n-----END PGP SIGNATURE-----")]
    public void Decode_Malformed_ReturnsNull(string text)
    {
        Assert.Null(ClearSign.Decode(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Crc24_KnownVector()
    {
        // RFC 4880 CRC-24 of the empty input is the initial value.
        Assert.Equal(0xB704CEu, ClearSign.Crc24([]));
    }
}
