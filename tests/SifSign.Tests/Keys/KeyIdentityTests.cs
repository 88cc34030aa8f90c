namespace SifSign.Tests.Keys;

public class KeyIdentityTests
{
    [Theory]
    [MemberData(nameof(ValidHandles))]
    public void NormalizeKeyHandle_ValidForms_ReturnsUpperHex(string input, string expected)
    {
        Assert.Equal(expected, KeyIdentity.NormalizeKeyHandle(input));
    }

    public static TheoryData<string, string> ValidHandles => new()
    {
        { "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84", "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84" },
        { "0x12045c8c0b1004d058de4beda20c27ee7ff7ba84", "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84" },
        { "A20C27EE7FF7BA84", "A20C27EE7FF7BA84" },
        { "7ff7ba84", "7FF7BA84" },
        { "1204 5C8C 0B10 04D0 58DE  4BED A20C 27EE 7FF7 BA84", "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84" },
        { "0xcb186c4f0609a697e4d52dfa6c722b0c1f1e27c18a56708f6525ec27bad9acc9", "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9" },
    };

    [Theory]
    [MemberData(nameof(InvalidHandles))]
    public void NormalizeKeyHandle_InvalidForms_ReturnsNull(string input)
    {
        Assert.Null(KeyIdentity.NormalizeKeyHandle(input));
    }

    public static TheoryData<string> InvalidHandles => new()
    {
        "",
        "0x",
        "12345",
        "XYZ45C8C",
        "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA8400",
        "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC900",
    };

    [Theory]
    [InlineData("Unit Test <unit@test.com>", "Unit Test", "", "unit@test.com")]
    [InlineData("Jane Doe (work) <jane@example.org>", "Jane Doe", "work", "jane@example.org")]
    [InlineData("Only Name", "Only Name", "", "")]
    public void ParseUserId_Forms_SplitsParts(string userId, string name, string comment, string email)
    {
        Assert.Equal((name, comment, email), KeyIdentity.ParseUserId(userId));
    }

    [Fact]
    public void UserId_EmptyComment_OmitsParentheses()
    {
        Assert.Equal("A B <a@b.org>", KeyGenerator.UserId("A B", string.Empty, "a@b.org"));
        Assert.Equal("A B (c) <a@b.org>", KeyGenerator.UserId("A B", "c", "a@b.org"));
    }
}
