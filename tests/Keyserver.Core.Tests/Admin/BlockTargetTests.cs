namespace Keyserver.Core.Tests.Admin;

public sealed class BlockTargetTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", "0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("0x0123456789ABCDEF0123456789ABCDEF01234567", "0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567", "0123456789ABCDEF0123456789ABCDEF01234567")]
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

    [Theory]
    [InlineData("Alice <alice@example.org>")]
    [InlineData("javascript:alert(1)//@example.org")]
    [InlineData("a@b@example.org")]
    [InlineData("\"quoted\"@example.org")]
    [InlineData("@example.org")]
    [InlineData("alice@")]
    [InlineData("alice@[127.0.0.1]")]
    [InlineData("alice@example.org\r\nBcc: x@example.com")]
    public void Address_Hostile_Null(string text) => Assert.Null(BlockTarget.Address(text));

    [Fact]
    public void Address_Oversized_Null() => Assert.Null(BlockTarget.Address(new string('a', 400) + "@example.org"));

    [Theory]
    [InlineData("Example.ORG", "example.org")]
    [InlineData("example.org.", "example.org")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("XN--BCHER-KVA.example", "xn--bcher-kva.example")]
    [InlineData("localhost", "localhost")]
    public void Domain_IdnaAsciiLowerCase(string text, string expected) => Assert.Equal(expected, BlockTarget.Domain(text)!.Value);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a..example")]
    [InlineData(".example.org")]
    [InlineData("-bad.example")]
    [InlineData("bad-.example")]
    [InlineData("*.example.org")]
    [InlineData("exa mple.org")]
    [InlineData("example.org/path")]
    [InlineData("user@example.org")]
    [InlineData("exam\u0000ple.org")]
    [InlineData("example.org\r\nBcc.example")]
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
