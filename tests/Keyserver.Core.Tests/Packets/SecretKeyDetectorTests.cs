namespace Keyserver.Core.Tests.Packets;

public sealed class SecretKeyDetectorTests
{
    private static readonly byte[] SecretArmored = TestVectors.Read("ed25519-eve-secret.asc");
    private static readonly byte[] SecretBinary = TestVectors.Binary("ed25519-eve-secret.asc");
    private static readonly byte[] PublicBinary = TestVectors.Binary("ed25519-eve.asc");

    private static bool Detect(byte[] input) => SecretKeyDetector.ContainsSecretKey(input);

    [Fact]
    public void ArmoredSecretKey_IsDetected() => Assert.True(Detect(SecretArmored));

    [Fact]
    public void BinarySecretKey_IsDetected() => Assert.True(Detect(SecretBinary));

    [Fact]
    public void SecretPacketsArmoredAsPublicKeyBlock_AreDetected()
    {
        Assert.DoesNotContain("PRIVATE"u8.ToArray(), KeyArmor.Armor([SecretBinary]));

        Assert.True(Detect(KeyArmor.Armor([SecretBinary])));
    }

    [Fact]
    public void SecretKeyAfterAPublicKey_IsDetected() =>
        Assert.True(Detect([.. KeyArmor.Armor([PublicBinary]), .. "\n"u8, .. SecretArmored]));

    [Fact]
    public void SecretSubkeyPacketAlone_IsDetected()
    {
        // A new-format packet header for tag 7 (Secret-Subkey) with a one-byte body.
        Assert.True(Detect([0xC0 | 7, 1, 4]));
    }

    [Fact]
    public void PrivateKeyHeaderWithGarbageBody_IsDetected() =>
        Assert.True(Detect(Encoding.ASCII.GetBytes("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n!!!!\n-----END PGP PRIVATE KEY BLOCK-----\n")));

    [Fact]
    public void PublicKey_IsNotDetected()
    {
        Assert.False(Detect(PublicBinary));
        Assert.False(Detect(KeyArmor.Armor([PublicBinary])));
        Assert.False(Detect(TestVectors.Read("rsa-alice.pgp")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n@@@@\n")]
    [InlineData("-----BEGIN PGP ")]
    public void GarbageOrTruncatedInput_IsNotDetectedAndDoesNotThrow(string input) =>
        Assert.False(Detect(Encoding.Latin1.GetBytes(input)));

    [Fact]
    public void TruncatedBinaryAfterPublicKey_IsNotDetected() =>
        Assert.False(Detect([.. PublicBinary, 0xC0 | 7, 0xFF]));
}
