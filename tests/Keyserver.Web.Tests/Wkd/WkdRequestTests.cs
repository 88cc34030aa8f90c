using Keyserver.Web.Wkd;

namespace Keyserver.Web.Tests.Wkd;

/// <summary>The pure parser of WKD requests (draft-koch-openpgp-webkey-service-22 §3.1), with hostile input.</summary>
public sealed class WkdRequestTests
{
    private const string Hash = "iy9q119eutrkn8s1mk4r39qejnbu3n5q";
    private static readonly IReadOnlySet<string> Domains = new HashSet<string>(StringComparer.Ordinal) { "example.org", "xn--bcher-kva.example" };

    private static WkdRequest Parse(string? host, string path, params string?[] l) => WkdRequest.Parse(host, path, l, Domains);

    [Theory]
    [InlineData("openpgpkey.example.org")]
    [InlineData("keys.ourorg.example")] // a proxy or a cross-host redirect: the path names the domain
    [InlineData(null)]
    public void Advanced_DomainFromPath(string? host)
    {
        Assert.Equal(new WkdRequest.Key("example.org", Hash, "Joe.Doe"), Parse(host, $"/.well-known/openpgpkey/example.org/hu/{Hash}", "Joe.Doe"));
        Assert.Equal(new WkdRequest.Policy("example.org"), Parse(host, "/.well-known/openpgpkey/example.org/policy"));
    }

    [Fact]
    public void Advanced_DomainCaseAndIdnaFolded()
    {
        Assert.Equal(new WkdRequest.Key("example.org", Hash, null), Parse("x", $"/.well-known/openpgpkey/EXAMPLE.Org/hu/{Hash}"));
        Assert.Equal(new WkdRequest.Policy("xn--bcher-kva.example"), Parse("x", "/.well-known/openpgpkey/bücher.example/policy"));
    }

    [Fact]
    public void Direct_DomainFromHost()
    {
        Assert.Equal(new WkdRequest.Key("example.org", Hash, "joe.doe"), Parse("Example.org", $"/.well-known/openpgpkey/hu/{Hash}", "joe.doe"));
        Assert.Equal(new WkdRequest.Policy("example.org"), Parse("example.org", "/.well-known/openpgpkey/policy"));
        Assert.Equal("joe.doe@example.org", ((WkdRequest.Key)Parse("example.org", $"/.well-known/openpgpkey/hu/{Hash}", "joe.doe")).Address);
    }

    [Theory]
    [InlineData("keys.ourorg.example", "/.well-known/openpgpkey/hu/" + Hash)] // direct form, Host is not a mail domain we serve
    [InlineData("openpgpkey.example.org", "/.well-known/openpgpkey/hu/" + Hash)]
    [InlineData("example.net", "/.well-known/openpgpkey/policy")]
    [InlineData("x", "/.well-known/openpgpkey/example.net/hu/" + Hash)] // domain not configured
    [InlineData("x", "/.well-known/openpgpkey/example.net/policy")]
    [InlineData("example.org", "/.well-known/openpgpkey/submission-address")] // no WKS: 404 (§4.1)
    [InlineData("x", "/.well-known/openpgpkey/example.org/submission-address")]
    [InlineData("x", "/.well-known/openpgpkey/example.org")]
    [InlineData("x", "/.well-known/openpgpkey/example.org/")]
    [InlineData("x", "/.well-known/openpgpkey/example.org/hu")]
    [InlineData("x", "/.well-known/openpgpkey/example.org/hu/" + Hash + "/x")]
    [InlineData("x", "/.well-known/openpgpkey/example.org/../example.org/hu/" + Hash)]
    [InlineData("x", "/.well-known/openpgpkey/../../etc/passwd")]
    [InlineData("x", "/.well-known/openpgpkey/")]
    [InlineData("x", "/.well-known/openpgpkey")]
    [InlineData("x", "/.well-known/openpgpkeyx/example.org/policy")]
    [InlineData("x", "/.well-known/openpgpkey//policy")]
    [InlineData("x", "/.well-known/openpgpkey/example.org%2Fhu/" + Hash)]
    [InlineData("", "/.well-known/openpgpkey/policy")]
    [InlineData(null, "/.well-known/openpgpkey/hu/" + Hash)]
    [InlineData("127.0.0.1", "/.well-known/openpgpkey/policy")]
    [InlineData("[::1]", "/.well-known/openpgpkey/policy")]
    [InlineData("example.org\u0000.evil", "/.well-known/openpgpkey/policy")]
    public void Unknown_NotFound(string? host, string path)
    {
        Assert.IsType<WkdRequest.NotFound>(Parse(host, path));
    }

    [Fact]
    public void HugeHostOrDomain_NotFound()
    {
        var huge = string.Concat(Enumerable.Repeat("a.", 40_000)) + "example.org";
        Assert.IsType<WkdRequest.NotFound>(Parse(huge, "/.well-known/openpgpkey/policy"));
        Assert.IsType<WkdRequest.NotFound>(Parse("x", $"/.well-known/openpgpkey/{huge}/hu/{Hash}"));
        Assert.IsType<WkdRequest.NotFound>(Parse("x", "/.well-known/openpgpkey/" + new string('/', 100_000)));
    }

    [Theory]
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n5")]
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n5qq")]
    [InlineData("IY9Q119EUTRKN8S1MK4R39QEJNBU3N5Q")]
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n50")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("%00")]
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n5\u00e9")]
    public void BadHash_Invalid(string hash)
    {
        Assert.IsType<WkdRequest.Invalid>(Parse("x", $"/.well-known/openpgpkey/example.org/hu/{hash}", "joe"));
        Assert.IsType<WkdRequest.Invalid>(Parse("example.org", $"/.well-known/openpgpkey/hu/{hash}"));
    }

    [Theory]
    [InlineData("joe@example.net")]
    [InlineData("")]
    [InlineData("<joe>")]
    [InlineData("joe doe")]
    [InlineData(null)]
    public void BadLocalPart_Invalid(string? local)
    {
        Assert.IsType<WkdRequest.Invalid>(Parse("x", $"/.well-known/openpgpkey/example.org/hu/{Hash}", local));
    }

    [Fact]
    public void LocalPart_TwiceOrHuge_Invalid()
    {
        Assert.IsType<WkdRequest.Invalid>(Parse("x", $"/.well-known/openpgpkey/example.org/hu/{Hash}", "joe", "bob"));
        Assert.IsType<WkdRequest.Invalid>(Parse("x", $"/.well-known/openpgpkey/example.org/hu/{Hash}", new string('a', 100_000)));
    }
}
