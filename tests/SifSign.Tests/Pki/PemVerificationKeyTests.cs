namespace SifSign.Tests.Pki;

public sealed class PemVerificationKeyTests
{
    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_HostileSignatureBytes_ReturnsFalseWithoutThrowing(PemKeyAlgorithm algorithm)
    {
        var key = PemKeys.LoadPrivate(PemKeys.Generate(algorithm, rsaKeySize: 2048).PrivateKeyPem);
        var data = "data"u8.ToArray();
        var good = key.Sign(data);
        byte[][] hostile =
        [
            [],
            [0x30],
            [0x30, 0x82, 0xff, 0xff, 0x02, 0x01],
            new byte[63],
            new byte[64],
            Enumerable.Repeat((byte)0xff, 256).ToArray(),
            new byte[4096],
            good[..^1],
            [.. good, 0],
        ];

        Assert.True(key.PublicKey.Verify(data, good));
        Assert.All(hostile, signature => Assert.False(key.PublicKey.Verify(data, signature)));
    }

    public static TheoryData<PemKeyAlgorithm> Algorithms => new()
    {
        PemKeyAlgorithm.Ed25519,
        PemKeyAlgorithm.Rsa,
        PemKeyAlgorithm.EcdsaP256,
        PemKeyAlgorithm.EcdsaP521,
    };

    [Fact]
    public void ExportPem_RoundTripsThroughLoadPublic()
    {
        var key = PemKeys.LoadPublic(FixtureKeys.RsaPublic);

        var again = PemKeys.LoadPublic(key.ExportPem());

        Assert.Equal(FixtureKeys.RsaKeyId, again.KeyId);
        Assert.Equal(FixtureKeys.RsaPublic.ReplaceLineEndings("\n") + "\n", key.ExportPem());
    }
}
