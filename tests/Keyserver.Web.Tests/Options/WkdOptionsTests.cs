namespace Keyserver.Web.Tests.Options;

/// <summary>Wkd:Domains: syntax, lower case, IDNA, and its default from Policy:Domains.</summary>
public sealed class WkdOptionsTests
{
    private static WkdOptions Wkd(params (string Key, string? Value)[] settings)
    {
        using var services = ConfiguredServices.Options(settings);
        return services.GetRequiredService<IOptions<WkdOptions>>().Value;
    }

    [Fact]
    public void Default_NoDomain()
    {
        Assert.Empty(Wkd().DomainSet);
    }

    [Fact]
    public void Domains_LowerCasedAndIdnaAscii()
    {
        var wkd = Wkd(("Wkd:Domains:0", "Example.ORG"), ("Wkd:Domains:1", "bücher.example"));

        Assert.Equal(new[] { "example.org", "xn--bcher-kva.example" }.Order(StringComparer.Ordinal), wkd.DomainSet.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Domains_DefaultFromPolicyDomains_WhenNotSet()
    {
        Assert.Equal(["example.net"], Wkd(("Policy:Domains:0", "example.net")).DomainSet);
        Assert.Equal(["example.org"], Wkd(("Policy:Domains:0", "example.net"), ("Wkd:Domains:0", "example.org")).DomainSet);
        Assert.Equal(["example.com", "example.net"], Wkd(("Policy:Domains", "example.net, example.com")).DomainSet.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("-bad.example")]
    [InlineData("bad-.example")]
    [InlineData("under_score.example")]
    [InlineData("two..dots.example")]
    [InlineData("with space.example")]
    [InlineData("example.org/hu")]
    [InlineData("example.org:443")]
    [InlineData("")]
    public void Domains_Malformed_StartFailsNamingTheKey(string domain)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Wkd(("Wkd:Domains:0", domain)));

        Assert.Contains("Wkd:Domains", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormaliseDomain_TooLong_Null()
    {
        var label = new string('a', 63);
        Assert.Null(WkdOptions.NormaliseDomain(string.Join('.', label, label, label, label, "org")));
        Assert.Null(WkdOptions.NormaliseDomain(new string('a', 64) + ".org"));
        Assert.Equal(label + ".org", WkdOptions.NormaliseDomain(label + ".org"));
    }
}
