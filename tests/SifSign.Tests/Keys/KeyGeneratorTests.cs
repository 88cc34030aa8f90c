namespace SifSign.Tests.Keys;

public class KeyGeneratorTests
{
    [Fact]
    public void Generate_Ed25519_HasSigningPrimaryAndEncryptionSubkey()
    {
        var ring = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "Ed User", "ed@example.org", "ci", null), DateTime.UtcNow);

        var keys = ring.GetPublicKeys().ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(PublicKeyAlgorithmTag.EdDsa_Legacy, keys[0].Algorithm);
        Assert.Equal(PublicKeyAlgorithmTag.ECDH, keys[1].Algorithm);
        Assert.Equal("Ed User (ci) <ed@example.org>", KeyIdentity.PrimaryUserId(keys[0]));
        Assert.True(keys[1].IsEncryptionKey);
    }

    [Fact]
    public void Generate_Rsa_UsesRequestedLengthForBothKeys()
    {
        var ring = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Rsa, "Rsa User", "rsa@example.org", string.Empty, null, 1024), DateTime.UtcNow);

        Assert.All(ring.GetPublicKeys(), key => Assert.Equal(1024, key.BitStrength));
        Assert.Equal("Rsa User <rsa@example.org>", KeyIdentity.PrimaryUserId(ring.GetPublicKey()));
    }

    [Fact]
    public void Generate_WithPassphrase_NeedsItToUnlock()
    {
        var ring = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "P", "p@example.org", string.Empty, "s3cret".ToCharArray()), DateTime.UtcNow);

        Assert.NotNull(ring.GetSecretKey().ExtractPrivateKey("s3cret".ToCharArray()));
        Assert.Throws<PgpException>(() => ring.GetSecretKey().ExtractPrivateKey("wrong".ToCharArray()));
    }

    [Fact]
    public void Generate_WithoutPassphrase_UnlocksWithEmptyPassphrase()
    {
        var ring = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "P", "p@example.org", string.Empty, null), DateTime.UtcNow);

        Assert.Equal(SymmetricKeyAlgorithmTag.Null, ring.GetSecretKey().KeyEncryptionAlgorithm);
        Assert.NotNull(ring.GetSecretKey().ExtractPrivateKey([]));

        // Usage 0 (two-byte checksum), not 254 (SHA-1): go-crypto rejects the latter on plain keys.
        Assert.All(ring.GetSecretKeys(), key => Assert.Equal(0, key.S2kUsage));
    }

    [Theory]
    [InlineData("", "a@example.org")]
    [InlineData("Evil <root@example.org>", "a@example.org")]
    [InlineData("Name", "a@example.org>\nuid:x")]
    public void Generate_InvalidIdentity_ThrowsArgumentException(string name, string email)
    {
        Assert.Throws<ArgumentException>(() =>
            KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, name, email, string.Empty, null), DateTime.UtcNow));
    }

    [Fact]
    public void Generate_RsaTooShort_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() =>
            KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Rsa, "N", "n@example.org", string.Empty, null, 512), DateTime.UtcNow));
    }

    [Fact]
    public void Generate_SelfSignaturesVerify()
    {
        var ring = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "V", "v@example.org", string.Empty, null), DateTime.UtcNow);
        var primary = ring.GetPublicKey();
        var userId = primary.GetUserIds().Single();
        var certification = primary.GetSignaturesForId(userId).Single();
        certification.InitVerify(primary);

        Assert.True(certification.VerifyCertification(userId, primary));
        var subkey = ring.GetPublicKeys().Last();
        var binding = subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding).Single();
        binding.InitVerify(primary);
        Assert.True(binding.VerifyCertification(primary, subkey));
    }
}
