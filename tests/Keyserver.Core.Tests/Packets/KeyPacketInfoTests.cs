namespace Keyserver.Core.Tests.Packets;

public sealed class KeyPacketInfoTests
{
    [Theory]
    [InlineData("rsa-alice.pgp", TestVectors.AliceFingerprint, 1, 2048, null)]
    [InlineData("dsa-elg-dave.asc", TestVectors.DaveFingerprint, 17, 2048, null)]
    [InlineData("nistp256-nina.asc", TestVectors.NinaFingerprint, 19, 256, "NIST P-256")]
    [InlineData("nistp384-paul.asc", TestVectors.PaulFingerprint, 19, 384, "NIST P-384")]
    [InlineData("brainpool-bruno.asc", TestVectors.BrunoFingerprint, 19, 256, "brainpoolP256r1")]
    [InlineData("ed25519-eve.asc", TestVectors.EveFingerprint, 22, 256, "Ed25519")]
    public void Parse_PrimaryKeys_MatchGpg(string file, string fingerprint, int algorithm, int bits, string? curve)
    {
        var info = KeyPacketInfo.Parse(TestVectors.Packets(file)[0].Body.Span, out var error);

        Assert.Null(error);
        Assert.NotNull(info);
        Assert.Equal(4, info.Version);
        Assert.Equal(fingerprint, info.FingerprintHex);
        Assert.Equal(fingerprint[24..], info.KeyIdHex);
        Assert.Equal(algorithm, info.Algorithm);
        Assert.Equal(bits, info.Bits);
        Assert.Equal(curve, info.Curve);
    }

    [Theory]
    [InlineData("dsa-elg-dave.asc", 16, 2048, null)]
    [InlineData("nistp256-nina.asc", 18, 256, "NIST P-256")]
    [InlineData("ed25519-eve.asc", 18, 256, "Curve25519")]
    public void Parse_Subkeys_MatchGpg(string file, int algorithm, int bits, string? curve)
    {
        var subkey = TestVectors.Packets(file).First(p => p.Tag == Packet.PublicSubkey);

        var info = KeyPacketInfo.Parse(subkey.Body.Span, out _)!;

        Assert.Equal(algorithm, info.Algorithm);
        Assert.Equal(bits, info.Bits);
        Assert.Equal(curve, info.Curve);
    }

    [Fact]
    public void Parse_Version3_Unsupported()
    {
        Assert.Null(KeyPacketInfo.Parse([3, 0, 0, 0, 0, 0, 0, 1, 0, 8, 0xFF], out var error));
        Assert.Equal("unsupported key version 3", error);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 4, 0, 0 })]
    [InlineData(new byte[] { 6, 0, 0, 0, 0, 27, 0 })]
    public void Parse_Truncated_Error(byte[] body)
    {
        Assert.Null(KeyPacketInfo.Parse(body, out var error));
        Assert.Equal("truncated key packet", error);
    }

    [Fact]
    public void Parse_Version6Ed25519_UsesSha256AndFirstBytesAsKeyId()
    {
        byte[] body = [6, 0x63, 0x87, 0x7F, 0xE3, 27, 0, 0, 0, 32, .. new byte[32]];

        var info = KeyPacketInfo.Parse(body, out _)!;

        Assert.Equal(6, info.Version);
        Assert.Equal(64, info.FingerprintHex.Length);
        Assert.Equal(info.FingerprintHex[..16], info.KeyIdHex);
        Assert.Equal(("Ed25519", 256), (info.Curve, info.Bits));
    }

    [Fact]
    public void Parse_UnknownCurve_NamesTheOid()
    {
        byte[] body = [4, 0, 0, 0, 0, 19, 3, 0x2B, 0x01, 0x02, 0, 0];

        var info = KeyPacketInfo.Parse(body, out _)!;

        Assert.Equal("OID 2B0102", info.Curve);
        Assert.Equal(0, info.Bits);
    }

    [Theory]
    [InlineData(25, "X25519", 256)]
    [InlineData(26, "X448", 448)]
    [InlineData(27, "Ed25519", 256)]
    [InlineData(28, "Ed448", 448)]
    public void Parse_NewAlgorithmIds_FixedSizes(int algorithm, string curve, int bits)
    {
        byte[] body = [4, 0, 0, 0, 0, (byte)algorithm, .. new byte[32]];

        var info = KeyPacketInfo.Parse(body, out _)!;

        Assert.Equal((curve, bits), (info.Curve, info.Bits));
    }
}
