using SifSign.Text;

namespace SifSign.Tests.Text;

public class GoJsonTests
{
    [Theory]
    [MemberData(nameof(QuotedStrings))]
    public void Quote_EscapesLikeGoEncodingJson(string value, string expected)
    {
        Assert.Equal(expected, GoJson.Quote(value));
    }

    public static TheoryData<string, string> QuotedStrings => new()
    {
        { "Unit Test <unit@test.com>", "\"Unit Test \\u003cunit@test.com\\u003e\"" },
        { "a&b", "\"a\\u0026b\"" },
        { "quote\" back\\", "\"quote\\\" back\\\\\"" },
        { "tab\tnl\n\u0001", "\"tab\\tnl\\n\\u0001\"" },
        { "Jürgen", "\"Jürgen\"" },
    };
}
