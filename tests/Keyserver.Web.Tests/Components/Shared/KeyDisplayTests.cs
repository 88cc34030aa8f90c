namespace Keyserver.Web.Tests.Components.Shared;

public sealed class KeyDisplayTests
{
    private static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 4096, null, "RSA 4096")]
    [InlineData(17, 3072, null, "DSA 3072")]
    [InlineData(22, 256, "Ed25519", "EdDSA Ed25519")]
    [InlineData(19, 384, "NIST P-384", "ECDSA NIST P-384")]
    [InlineData(27, 256, null, "Ed25519")]
    [InlineData(27, 256, "Ed25519", "Ed25519")]
    [InlineData(99, 1, null, "Algorithm 99 1")]
    public void Algorithm_NamesAlgorithmAndSize(int algorithm, int bits, string? curve, string expected) =>
        Assert.Equal(expected, KeyDisplay.Algorithm(new KeyInfo(algorithm, bits, curve, Created, null, null)));

    [Fact]
    public void Grouped_SplitsIntoFours() =>
        Assert.Equal("0123 4567 89AB", KeyDisplay.Grouped("0123456789AB"));

    [Theory]
    [InlineData(KeyUsage.None, "no usage given")]
    [InlineData(KeyUsage.Certify | KeyUsage.Sign, "certify, sign")]
    [InlineData(KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage, "encrypt")]
    [InlineData(KeyUsage.Authenticate, "authenticate")]
    public void Usage_ListsFlagsInWords(KeyUsage usage, string expected) =>
        Assert.Equal(expected, KeyDisplay.Usage(usage));

    [Theory]
    [InlineData(0, "", "no reason given")]
    [InlineData(1, "new key", "superseded: new key")]
    [InlineData(2, "", "compromised")]
    [InlineData(77, "odd", "no reason given: odd")]
    public void Reason_CombinesCodeAndText(int code, string text, string expected) =>
        Assert.Equal(expected, KeyDisplay.Reason(new Revocation(Created, code, text)));

    [Theory]
    [InlineData("http://localhost:11371", "hkp://localhost:11371")]
    [InlineData("http://keys.example.org", "hkp://keys.example.org:80")]
    [InlineData("https://keys.example.org", "hkps://keys.example.org")]
    [InlineData("https://keys.example.org:8443", "hkps://keys.example.org:8443")]
    public void HkpAddress_KeepsPortsGpgWouldOtherwiseGuessWrong(string publicUrl, string expected) =>
        Assert.Equal(expected, KeyDisplay.HkpAddress(publicUrl));

    [Fact]
    public void Health_RevokedWinsOverExpired()
    {
        var now = Created.AddYears(1);
        var expired = new KeyInfo(1, 4096, null, Created, Created.AddDays(1), null);

        Assert.Equal(KeyHealth.Valid, KeyDisplay.Health(expired with { Expires = null }, now));
        Assert.Equal(KeyHealth.Expired, KeyDisplay.Health(expired, now));
        Assert.Equal(KeyHealth.Revoked, KeyDisplay.Health(expired with { Revoked = new Revocation(Created, 0, "") }, now));
    }
}
