namespace Keyserver.Core.Tests.Packets;

public sealed class SignatureInfoTests
{
    private static SignatureInfo Parse(Packet packet) => SignatureInfo.Parse(packet.Body)!;

    [Fact]
    public void Parse_UserIdSelfSignature_ReadsFields()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        var primary = KeyPacketInfo.Parse(packets[0].Body.Span, out _)!;

        var signature = Parse(packets[2]);

        Assert.Equal(4, signature.Version);
        Assert.Equal(0x13, signature.Type);
        Assert.Equal(1, signature.PublicKeyAlgorithm);
        Assert.True(signature.IsCertification);
        Assert.Equal(primary.Fingerprint, signature.IssuerFingerprint);
        Assert.Equal(primary.KeyId, signature.IssuerKeyId);
        Assert.True(signature.IssuedBy(primary.Fingerprint, primary.KeyId));
        Assert.Equal(2 * 365 * 86400, signature.KeyExpirySeconds);
        Assert.Equal(0x03, signature.KeyFlags);
    }

    [Fact]
    public void Parse_UserIdRevocation_ReadsType()
    {
        var revocation = TestVectors.Packets("rsa-alice.pgp").Where(p => p.Tag == Packet.Signature).Select(Parse)
            .Single(s => s.Type == SignatureInfo.CertRevocation);

        Assert.Equal(32, revocation.RevocationCode);
    }

    [Fact]
    public void Parse_SigningSubkeyBinding_HasEmbeddedBackSignature()
    {
        var binding = Parse(TestVectors.Packets("rsa-alice.pgp")[^1]);

        Assert.Equal(SignatureInfo.SubkeyBinding, binding.Type);
        Assert.Equal(0x02, binding.KeyFlags);
        var embedded = SignatureInfo.Parse(Assert.Single(binding.Embedded))!;
        Assert.Equal(SignatureInfo.PrimaryKeyBinding, embedded.Type);
    }

    [Fact]
    public void Parse_KeyRevocation_ReadsReason()
    {
        var revocation = Parse(TestVectors.Packets("ed25519-eve-revocation.asc")[0]);

        Assert.Equal(SignatureInfo.KeyRevocation, revocation.Type);
        Assert.Equal(0, revocation.RevocationCode);
        Assert.Equal("", revocation.RevocationText);
    }

    [Fact]
    public void IssuedBy_OtherKey_False()
    {
        var eve = TestVectors.Packets("ed25519-eve-certified-by-alice.asc");
        var primary = KeyPacketInfo.Parse(eve[0].Body.Span, out _)!;

        var signatures = eve.Where(p => p.Tag == Packet.Signature).Select(Parse).ToList();

        Assert.Single(signatures, s => !s.IssuedBy(primary.Fingerprint, primary.KeyId));
    }

    [Fact]
    public void Parse_Version3Signature_ReadsHeader()
    {
        byte[] body = [3, 5, 0x13, 0x5F, 0x5E, 0x10, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 1, 8, 0xAB, 0xCD, 0, 1, 1];

        var signature = SignatureInfo.Parse(body)!;

        Assert.Equal(3, signature.Version);
        Assert.Equal(0x13, signature.Type);
        Assert.Equal(0x0102030405060708UL, signature.IssuerKeyId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x5F5E1000), signature.Created);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 5, 0x13, 1, 8 })]
    [InlineData(new byte[] { 4, 0x13, 1, 8, 0x00 })]
    [InlineData(new byte[] { 4, 0x13, 1, 8, 0x00, 0x09, 0x05, 0x02, 0, 0 })]
    [InlineData(new byte[] { 4, 0x13, 1, 8, 0x00, 0x02, 0x05, 0x02, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 4, 0x13, 1, 8, 0x00, 0x02, 0x00, 0x02, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 4, 0x13, 1, 8, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 3, 5, 0x13 })]
    public void Parse_Malformed_ReturnsNull(byte[] body) => Assert.Null(SignatureInfo.Parse(body));

    [Fact]
    public void Parse_WideSubpacketLength_Read()
    {
        // A creation-time subpacket written with the five-byte length form.
        byte[] body = [4, 0x13, 1, 8, 0x00, 0x0A, 0xFF, 0, 0, 0, 5, 2, 0x5F, 0x5E, 0x10, 0x00, 0x00, 0x00, 0xAB, 0xCD];

        var signature = SignatureInfo.Parse(body)!;

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x5F5E1000), signature.Created);
        Assert.Null(signature.IssuerKeyId);
    }
}
