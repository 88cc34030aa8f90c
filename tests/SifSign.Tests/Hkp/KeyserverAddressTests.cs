namespace SifSign.Tests.Hkp;

public class KeyserverAddressTests
{
    [Theory]
    [InlineData("hkp://keys.example.org", "http://keys.example.org:11371/")]
    [InlineData("hkp://keys.example.org:8080", "http://keys.example.org:8080/")]
    [InlineData("hkps://keys.example.org", "https://keys.example.org/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://keys.openpgp.org/", "https://keys.openpgp.org/")]
    [InlineData("https://example.org/keyserver", "https://example.org/keyserver/")]
    [InlineData("HKPS://Keys.Example.org", "https://keys.example.org/")]
    public void TryParse_SupportedSchemes_GivesHttpBase(string url, string expected)
    {
        Assert.True(KeyserverAddress.TryParse(url, out var address, out var error), error);
        Assert.Equal(expected, address!.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("keys.example.org", "invalid keyserver URL")]
    [InlineData("ftp://keys.example.org", "scheme 'ftp'")]
    [InlineData("ldap://keys.example.org", "scheme 'ldap'")]
    [InlineData("https://user:pw@keys.example.org", "credentials")]
    [InlineData("https://keys.example.org/?op=get", "query")]
    [InlineData("file:///etc/passwd", "invalid keyserver URL")]
    public void TryParse_BadUrls_RefusedWithReason(string url, string reason)
    {
        Assert.False(KeyserverAddress.TryParse(url, out var address, out var error));
        Assert.Null(address);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
