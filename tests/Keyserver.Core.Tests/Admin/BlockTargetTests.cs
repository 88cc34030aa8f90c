namespace Keyserver.Core.Tests.Admin;

public sealed class BlockTargetTests
{
    public static TheoryData<string, string> FingerprintSpellings => new()
    {
        { "0123456789abcdef0123456789abcdef01234567", "0123456789ABCDEF0123456789ABCDEF01234567" },
        { "0x0123456789ABCDEF0123456789ABCDEF01234567", "0123456789ABCDEF0123456789ABCDEF01234567" },
        { "0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567", "0123456789ABCDEF0123456789ABCDEF01234567" },
    };

    [Theory]
    [MemberData(nameof(FingerprintSpellings))]
    public void Fingerprint_HexInAnyCase_UpperCase(string text, string expected) =>
        Assert.Equal(expected, BlockTarget.Fingerprint(text)!.Value);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0123456789ABCDEF")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456G")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF012345678")]
    [InlineData("０１２３456789ABCDEF0123456789ABCDEF01234567")]
    public void Fingerprint_NotAV4OrV6Fingerprint_Null(string text) => Assert.Null(BlockTarget.Fingerprint(text));

    [Fact]
    public void Fingerprint_V6_Accepted() => Assert.Equal(64, BlockTarget.Fingerprint(new string('a', 64))!.Value.Length);

    [Theory]
    [InlineData("Alice@Example.ORG", "alice@example.org")]
    [InlineData("  bob@example.org ", "bob@example.org")]
    public void Address_Normalised(string text, string expected) => Assert.Equal(expected, BlockTarget.Address(text)!.Value);

    public static TheoryData<string> HostileAddresses => new()
    {
        "Alice <alice@example.org>",
        "javascript:alert(1)//@example.org",
        "a@b@example.org",
        "\"quoted\"@example.org",
        "@example.org",
        "alice@",
        "alice@[127.0.0.1]",
        "alice@example.org\r\nBcc: x@example.com",
    };

    [Theory]
    [MemberData(nameof(HostileAddresses))]
    public void Address_Hostile_Null(string text) => Assert.Null(BlockTarget.Address(text));

    [Fact]
    public void Address_Oversized_Null() => Assert.Null(BlockTarget.Address(new string('a', 400) + "@example.org"));

    public static TheoryData<string, string> DomainSpellings => new()
    {
        { "Example.ORG", "example.org" },
        { "example.org.", "example.org" },
        { "bücher.example", "xn--bcher-kva.example" },
        { "XN--BCHER-KVA.example", "xn--bcher-kva.example" },
        { "localhost", "localhost" },
    };

    [Theory]
    [MemberData(nameof(DomainSpellings))]
    public void Domain_IdnaAsciiLowerCase(string text, string expected) => Assert.Equal(expected, BlockTarget.Domain(text)!.Value);

    public static TheoryData<string> HostileDomains => new()
    {
        "",
        ".",
        "..",
        "a..example",
        ".example.org",
        "-bad.example",
        "bad-.example",
        "*.example.org",
        "exa mple.org",
        "example.org/path",
        "user@example.org",
        "exam\u0000ple.org",
        "example.org\r\nBcc.example",
    };

    [Theory]
    [MemberData(nameof(HostileDomains))]
    public void Domain_Hostile_Null(string text) => Assert.Null(BlockTarget.Domain(text));

    [Fact]
    public void Domain_LabelOrNameTooLong_Null()
    {
        Assert.Null(BlockTarget.Domain(new string('a', 64) + ".example"));
        Assert.Null(BlockTarget.Domain(string.Join('.', Enumerable.Repeat(new string('a', 60), 5))));
        Assert.Null(BlockTarget.Domain(new string('a', 100_000)));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", BlockKind.Fingerprint)]
    [InlineData("spam@example.org", BlockKind.Address)]
    [InlineData("example.org", BlockKind.Domain)]
    public void Parse_GuessesKind(string text, BlockKind kind) => Assert.Equal(kind, BlockTarget.Parse(text)!.Kind);

    [Theory]
    [InlineData("not an address@")]
    [InlineData("<script>")]
    public void Parse_Nonsense_Null(string text) => Assert.Null(BlockTarget.Parse(text));

    [Fact]
    public void DomainsOf_MostSpecificFirst() =>
        Assert.Equal(["mail.example.org", "example.org", "org"], BlockTarget.DomainsOf("a@Mail.Example.org"));

    [Fact]
    public void Covers_DomainBlockCoversSubdomainsOnly()
    {
        var block = BlockTarget.Domain("example.org")!;

        Assert.True(block.Covers("a@example.org"));
        Assert.True(block.Covers("a@deep.mail.example.org"));
        Assert.False(block.Covers("a@badexample.org"));
        Assert.False(block.Covers("a@example.org.evil"));
    }
}
