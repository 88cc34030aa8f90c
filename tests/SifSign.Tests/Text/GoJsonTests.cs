using SifSign.Text;

namespace SifSign.Tests.Text;

public class GoJsonTests
{
    [Theory]
    [InlineData("Unit Test <unit@test.com>", "\"Unit Test \\u003cunit@test.com\\u003e\"")]
    [InlineData("a&b", "\"a\\u0026b\"")]
    [InlineData("quote\" back\\", "\"quote\\\" back\\\\\"")]
    [InlineData("tab\tnl\n\u0001", "\"tab\\tnl\\n\\u0001\"")]
    [InlineData("Jürgen", "\"Jürgen\"")]
    public void Quote_EscapesLikeGoEncodingJson(string value, string expected)
    {
        Assert.Equal(expected, GoJson.Quote(value));
    }
}
