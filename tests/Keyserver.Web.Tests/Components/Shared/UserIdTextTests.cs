namespace Keyserver.Web.Tests.Components.Shared;

public sealed class UserIdTextTests : BunitContext
{
    public static TheoryData<string, string> UserIdsShown => new()
    {
        { "Alice <alice@example.org>", "Alice <alice@example.org>" },
        { "Mallory \u202Egpj.exe <m@example.org>", "Mallory [U+202E]gpj.exe <m@example.org>" },
        { "ali\u200Bce <alice@example.org>", "ali[U+200B]ce <alice@example.org>" },
        { "a\u00A0b\u3164c\uFE0F\u2066d\u0000", "a[U+00A0]b[U+3164]c[U+FE0F][U+2066]d[U+0000]" },
        { "Zoë 山田 \U0001F511 <z@example.org>", "Zoë 山田 \U0001F511 <z@example.org>" },
        { "tag \U000E0041 end", "tag [U+E0041] end" },
    };

    [Theory]
    [MemberData(nameof(UserIdsShown))]
    public void Split_ShowsEveryInvisibleCharacterAsItsCode(string userId, string shown) =>
        Assert.Equal(shown, string.Concat(InvisibleCharacters.Split(userId).Select(s => s.Text)));

    [Fact]
    public void Split_MarksOnlyTheInvisibleRuns()
    {
        var segments = InvisibleCharacters.Split("a\u200B\u200Bb");

        Assert.Equal([new("a", false), new("[U+200B]", true), new("[U+200B]", true), new("b", false)], segments);
    }

    [Fact]
    public void Render_IsolatesDirectionAndKeepsNoInvisibleCharacter()
    {
        var text = Render<UserIdText>(p => p.Add(c => c.Value, "Eve \u202Egnp.exe\u200B <eve@example.org>"));

        var bdi = text.Find("bdi.uid");
        Assert.Equal("Eve [U+202E]gnp.exe[U+200B] <eve@example.org>", bdi.TextContent);
        Assert.Equal(["[U+202E]", "[U+200B]"], bdi.QuerySelectorAll("span.invisible").Select(s => s.TextContent));
        Assert.DoesNotContain('\u202E', text.Markup);
        Assert.DoesNotContain('\u200B', text.Markup);
    }
}
