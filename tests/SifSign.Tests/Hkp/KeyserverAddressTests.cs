namespace SifSign.Tests.Hkp;

public class KeyserverAddressTests
{
    [Theory]
    [MemberData(nameof(SupportedUrls))]
    public void TryParse_SupportedSchemes_GivesHttpBase(string url, string expected)
    {
        Assert.True(KeyserverAddress.TryParse(url, out var address, out var error), error);
        Assert.Equal(expected, address!.ToString());
    }

    public static TheoryData<string, string> SupportedUrls => new()
    {
        { "hkp://keys.example.org", "http://keys.example.org:11371/" },
        { "hkp://keys.example.org:8080", "http://keys.example.org:8080/" },
        { "hkps://keys.example.org", "https://keys.example.org/" },
        { "http://127.0.0.1:5000", "http://127.0.0.1:5000/" },
        { "https://keys.openpgp.org/", "https://keys.openpgp.org/" },
        { "https://example.org/keyserver", "https://example.org/keyserver/" },
        { "HKPS://Keys.Example.org", "https://keys.example.org/" },
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public void TryParse_BadUrls_RefusedWithReason(string url, string reason)
    {
        Assert.False(KeyserverAddress.TryParse(url, out var address, out var error));
        Assert.Null(address);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadUrls => new()
    {
        { "", "empty" },
        { "keys.example.org", "invalid keyserver URL" },
        { "ftp://keys.example.org", "scheme 'ftp'" },
        { "ldap://keys.example.org", "scheme 'ldap'" },
        { "https://user:pw@keys.example.org", "credentials" },
        { "https://keys.example.org/?op=get", "query" },
        { "file:///etc/passwd", "invalid keyserver URL" },
    };
}
