namespace Keyserver.Web.Tests.Components.Shared;

public sealed class TokenProblemTests : BunitContext
{
    [Theory]
    [InlineData(TokenState.Expired, "This link has expired")]
    [InlineData(TokenState.Used, "This link was already used")]
    [InlineData(TokenState.Unknown, "This link is not valid")]
    public void State_HasItsOwnHeading(TokenState state, string heading)
    {
        var page = Render<TokenProblem>(p => p.Add(c => c.State, state).Add(c => c.ExpiredAdvice, "Ask again."));

        Assert.Equal(heading, page.Find("h1").TextContent);
        Assert.Equal(state == TokenState.Expired, page.Markup.Contains("Ask again.", StringComparison.Ordinal));
    }
}
