using SifSign.Pki;

namespace SifSign.Cli.Tests.Commands.Key;

public class KeyNewPemCommandTests
{
    [Theory]
    [MemberData(nameof(Algorithms))]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void NewPem_Algorithm_WritesMatchingPairPrivateFile0600(string name, PemKeyAlgorithm algorithm)
    {
        using var cli = new CliHarness();
        var key = Path.Combine(cli.Home, "signing.pem");

        Assert.Equal(0, cli.Run("key", "newpem", "--algorithm", name, key));

        var signing = PemKeys.LoadPrivate(File.ReadAllText(key));
        var verification = PemKeys.LoadPublic(File.ReadAllText(key + ".pub"));
        Assert.Equal(algorithm, signing.Algorithm);
        Assert.Equal(signing.KeyId, verification.KeyId);
        Assert.Equal($"Key ID: {signing.KeyId}\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(key + ".pub"), StringComparison.Ordinal);
    }

    public static TheoryData<string, PemKeyAlgorithm> Algorithms => new()
    {
        { "ed25519", PemKeyAlgorithm.Ed25519 },
        { "rsa", PemKeyAlgorithm.Rsa },
        { "ecdsa-p256", PemKeyAlgorithm.EcdsaP256 },
        { "ecdsa-p384", PemKeyAlgorithm.EcdsaP384 },
        { "ecdsa-p521", PemKeyAlgorithm.EcdsaP521 },
    };

    [Fact]
    public void NewPem_PublicKeyPathAndRsaSize_Honoured()
    {
        using var cli = new CliHarness();
        var key = Path.Combine(cli.Home, "rsa.pem");
        var publicKey = Path.Combine(cli.Home, "elsewhere.pem");

        Assert.Equal(0, cli.Run("key", "newpem", "--algorithm", "rsa", "-b", "2048", "--public-key", publicKey, key));

        Assert.True(File.Exists(publicKey));
        Assert.False(File.Exists(key + ".pub"));
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(publicKey));
        Assert.Equal(2048, rsa.KeySize);
    }

    [Theory]
    [InlineData("1024")]
    [InlineData("2049")]
    [InlineData("99999")]
    public void NewPem_BadRsaSize_Exit2AndNoFiles(string bits)
    {
        using var cli = new CliHarness();
        var key = Path.Combine(cli.Home, "rsa.pem");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "newpem", "--algorithm", "rsa", "-b", bits, key));

        Assert.Contains("FATAL:   RSA key size must be 2048", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(key));
    }

    [Fact]
    public void NewPem_ExistingPublicFile_RefusesWithoutWritingEither()
    {
        using var cli = new CliHarness();
        var key = Path.Combine(cli.Home, "k.pem");
        File.WriteAllText(key + ".pub", "mine");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "newpem", key));

        Assert.Contains("already exists; refusing to overwrite it", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(key));
        Assert.Equal("mine", File.ReadAllText(key + ".pub"));
    }
}
