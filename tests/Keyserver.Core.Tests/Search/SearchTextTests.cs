namespace Keyserver.Core.Tests.Search;

public sealed class SearchTextTests
{
    public static TheoryData<string, string> UserIdAddresses => new()
    {
        { "Alice Example <alice@example.org>", "alice@example.org" },
        { "Alice <Alice@Example.ORG>", "alice@example.org" },
        { "alice@example.org", "alice@example.org" },
        { "  ALICE@example.org  ", "alice@example.org" },
        { "<alice@example.org>", "alice@example.org" },
        { "Alice (work) < alice@example.org >", "alice@example.org" },
        { "a+tag@example.org", "a+tag@example.org" },
        { "Jörg <jörg@bücher.example>", "jörg@bücher.example" },
        { "Old <old@example.org> <new@example.org>", "new@example.org" },
        { "100% <x%y@example.org>", "x%y@example.org" },
    };

    [Theory]
    [MemberData(nameof(UserIdAddresses))]
    public void Email_Addresses_Found(string userId, string expected) => Assert.Equal(expected, SearchText.Email(userId));

    [Theory]
    [InlineData("Alice Example")]
    [InlineData("")]
    [InlineData("Alice <no address>")]
    [InlineData("Alice <alice@example.org")]
    [InlineData("alice@")]
    [InlineData("@example.org")]
    [InlineData("a@b@c")]
    [InlineData("alice example@example.org")]
    [InlineData("alice@.example")]
    [InlineData("alice@example.")]
    [InlineData("Alice <>")]
    [InlineData("a:b@x.org, c@d.org")]
    [InlineData("Mallory <javascript:alert(1)//@example.org>")]
    [InlineData("<\"quoted local\"@example.org>")]
    [InlineData("<alice@[192.0.2.1]>")]
    [InlineData("<alice..bob@example.org>")]
    [InlineData("<.alice@example.org>")]
    [InlineData("<alice@exa_mple.org>")]
    [InlineData("<alice\u202e@example.org>")]
    public void Email_NoAddress_Null(string userId) => Assert.Null(SearchText.Email(userId));

    [Theory]
    [InlineData("bank@example.com <thief@example.org>", "thief@example.org", true)]
    [InlineData("\"support@bank.example\" <thief@example.org>", "thief@example.org", true)]
    [InlineData("Alice (alice@example.org) <alice@example.org>", "alice@example.org", false)]
    [InlineData("Alice <alice@example.org>", "alice@example.org", false)]
    [InlineData("alice@example.org", "alice@example.org", false)]
    public void HasForeignAddress_AnotherAddressInTheName(string userId, string address, bool foreign) =>
        Assert.Equal(foreign, SearchText.HasForeignAddress(userId, address));

    [Theory]
    [InlineData("Alice@Example.org", "alice@example.org")]
    [InlineData("Alice <alice@example.org>", null)]
    [InlineData("", null)]
    public void NormaliseAddress_WholeTextMustBeOneAddress(string text, string? expected) =>
        Assert.Equal(expected, SearchText.NormaliseAddress(text));

    [Theory]
    [InlineData("Alice Example <alice@example.org>", new[] { "alice", "example", "org" })]
    [InlineData("Test User+x&y", new[] { "test", "user", "x", "y" })]
    [InlineData("a:b%c<d>e", new[] { "a", "b", "c", "d", "e" })]
    [InlineData("Jörg Müller", new[] { "jörg", "müller" })]
    [InlineData("ΑΛΦΑ beta", new[] { "αλφα", "beta" })]
    [InlineData("Key 2024 v2", new[] { "key", "2024", "v2" })]
    [InlineData("emoji 😀 here", new[] { "emoji", "here" })]
    [InlineData("J\uFFFDrg", new[] { "j", "rg" })]
    [InlineData("---", new string[0])]
    [InlineData("", new string[0])]
    public void Words_SplitOnNonLettersOrDigits(string text, string[] expected) => Assert.Equal(expected, SearchText.Words(text));

    [Fact]
    public void Words_Repeated_Deduplicated() => Assert.Equal(["alice"], SearchText.Words("Alice alice ALICE"));

    [Fact]
    public void Words_SupplementaryPlaneLetters_KeptWhole() => Assert.Equal(["𝒜b"], SearchText.Words("𝒜b!"));

    [Fact]
    public void Email_NullArgument_Throws() => Assert.Throws<ArgumentNullException>(() => SearchText.Email(null!));
}
