namespace Keyserver.Core.Tests.Search;

public sealed class KeyQueryParserTests
{
    private const string NotHex = "a search starting with 0x must be followed by hexadecimal digits only";
    private const string WrongLength = "a key ID or fingerprint must have 8, 16, 40 or 64 hexadecimal digits";
    private const string Empty = "the search text is empty";
    private const string ControlCharacters = "the search text contains control characters";
    private const string NoWords = "the search text contains no letters or digits";

    private static KeyQuery Parse(string search, bool exact = false)
    {
        Assert.True(KeyQueryParser.TryParse(search, exact, out var query, out var error), error);
        return query;
    }

    private static string Error(string search, bool exact = false)
    {
        Assert.False(KeyQueryParser.TryParse(search, exact, out _, out var error));
        return error;
    }

    [Theory]
    [InlineData("0x17F56CA4")]
    [InlineData("0x17f56ca4")]
    [InlineData("0X17F56CA4")]
    [InlineData("17f56ca4")]
    [InlineData(" 0x17F56CA4 ")]
    public void TryParse_ShortKeyId_UpperCase(string search) =>
        Assert.Equal(new KeyQuery.ByShortKeyId("17F56CA4"), Parse(search));

    [Theory]
    [InlineData("0x01B4B5A517F56CA4")]
    [InlineData("0x01b4b5a517f56ca4")]
    [InlineData("01b4b5a517f56ca4")]
    public void TryParse_LongKeyId_UpperCase(string search) =>
        Assert.Equal(new KeyQuery.ByKeyId("01B4B5A517F56CA4"), Parse(search));

    [Theory]
    [InlineData("0x65667554D3245D8304B1F45B01B4B5A517F56CA4")]
    [InlineData("0x65667554d3245d8304b1f45b01b4b5a517f56ca4")]
    [InlineData("65667554D3245D8304B1F45B01B4B5A517F56CA4")]
    [InlineData("6566 7554 D324 5D83 04B1  F45B 01B4 B5A5 17F5 6CA4")]
    public void TryParse_V4Fingerprint_UpperCase(string search) =>
        Assert.Equal(new KeyQuery.ByFingerprint("65667554D3245D8304B1F45B01B4B5A517F56CA4"), Parse(search));

    [Fact]
    public void TryParse_V6Fingerprint_UpperCase()
    {
        var hex = string.Concat(Enumerable.Repeat("ab", 32));

        Assert.Equal(new KeyQuery.ByFingerprint(hex.ToUpperInvariant()), Parse("0x" + hex));
        Assert.Equal(new KeyQuery.ByFingerprint(hex.ToUpperInvariant()), Parse(hex));
    }

    [Fact]
    public void TryParse_V3Fingerprint_Error() =>
        Assert.Equal("v3 fingerprints are not supported", Error("0x" + new string('A', 32)));

    public static TheoryData<string, string> Malformed => new()
    {
        { "0x", NotHex },
        { "0x12345G78", NotHex },
        { "0x1234 5678", NotHex },
        { "0x-1", NotHex },
        { "0x1234567", WrongLength },
        { "0x123456789", WrongLength },
        { "0x123456789ABCDEF01234", WrongLength },
        { "", Empty },
        { "   ", Empty },
        { "\t\n", Empty },
        { "alice\u0000", ControlCharacters },
        { "alice\u001b[31m", ControlCharacters },
        { "a\u007fb", ControlCharacters },
        { "alice\u0085@example.org", ControlCharacters },
        { "!!!", NoWords },
        { "%:<>", NoWords },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_Malformed_ErrorSaysWhy(string search, string error) => Assert.Equal(error, Error(search));

    [Fact]
    public void TryParse_TooLong_Error() =>
        Assert.Equal("the search text is longer than 512 characters", Error(new string('a', 513)));

    [Fact]
    public void TryParse_LongestAllowed_Accepted() =>
        Assert.IsType<KeyQuery.ByWords>(Parse(new string('a', 512)));

    [Theory]
    [InlineData("0xabcdef0123456789", "ABCDEF0123456789")]
    [InlineData("ABCDEF0123456789", "ABCDEF0123456789")]
    public void TryParse_HexInAnyCase_QueryIsUpperCase(string search, string keyId) =>
        Assert.Equal(keyId, Assert.IsType<KeyQuery.ByKeyId>(Parse(search)).KeyId);

    [Fact]
    public void KeyQuery_NormalisesWhenMade_NoStoreFoldsCaseAgain()
    {
        Assert.Equal("ABCD1234", new KeyQuery.ByShortKeyId("abcd1234").ShortKeyId);
        Assert.Equal("alice@example.org", new KeyQuery.ByEmail("Alice@Example.ORG").Email);
        Assert.Equal(["alice", "liddell"], new KeyQuery.ByWords(["Alice", "LIDDELL", "alice"]).Words);
        Assert.Equal(new KeyQuery.ByFingerprint(new string('a', 40)), new KeyQuery.ByFingerprint(new string('A', 40)));
    }

    [Theory]
    [InlineData("test@example.org", "test@example.org")]
    [InlineData("Test@Example.ORG", "test@example.org")]
    [InlineData("<test@example.org>", "test@example.org")]
    [InlineData("Test User <test@example.org>", "test@example.org")]
    [InlineData("a+b@example.org", "a+b@example.org")]
    public void TryParse_Address_ByEmail(string search, string email)
    {
        Assert.Equal(new KeyQuery.ByEmail(email), Parse(search));
        Assert.Equal(new KeyQuery.ByEmail(email), Parse(search, exact: true));
    }

    [Fact]
    public void TryParse_Text_ByWords()
    {
        var query = Assert.IsType<KeyQuery.ByWords>(Parse("Test User+x&y"));

        Assert.Equal(["test", "user", "x", "y"], query.Words);
    }

    [Fact]
    public void TryParse_TextExact_ByUserIdTrimmed() =>
        Assert.Equal(new KeyQuery.ByUserId("Test User"), Parse("  Test User ", exact: true));

    [Theory]
    [InlineData("deadbeefcafe")]
    [InlineData("1234 5678")]
    public void TryParse_HexOfOtherLength_Words(string search) => Assert.IsType<KeyQuery.ByWords>(Parse(search));
}
