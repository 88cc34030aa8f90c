namespace Keyserver.Web.Tests.Components.Pages;

public sealed class ManageTests : PortalContext
{
    private async Task<string> AnswerAsync(string address)
    {
        var page = Render<Manage>();
        page.Find("#address").Change(address);
        await page.Find("form").SubmitAsync();
        return page.Find("[role=status]").TextContent;
    }

    [Fact]
    public void Empty_ShowsLabelledAddressForm()
    {
        var page = Render<Manage>();

        Assert.Equal("address", page.Find("label").GetAttribute("for"));
        Assert.Equal("email", page.Find("#address").GetAttribute("type"));
    }

    [Fact]
    public async Task KnownAndUnknownAddress_GetTheSameAnswer_ButOnlyKnownIsMailed()
    {
        var (key, _) = await UploadAsync("Alice Example <alice@example.org>");
        await PublishAllAsync(key.Fingerprint);

        var known = await AnswerAsync("alice@example.org");
        var unknown = await AnswerAsync("nobody@example.org");

        Assert.Equal(known, unknown);
        // The page answered at once; the request is worked off behind it.
        var due = await Eventually.ValueAsync(
            async () => await Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10) is { Count: > 0 } mails ? mails : null,
            () => "the manage mail was queued");
        var mail = Assert.Single(due);
        Assert.Equal(MailKind.Manage, mail.Mail.Kind);
        Assert.Equal("alice@example.org", mail.Mail.To);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("<script>@example.org")]
    public async Task MalformedAddress_GetsTheSameAnswer_AndNoMail(string address)
    {
        var answer = await AnswerAsync(address);

        Assert.Contains("If that address has published keys", answer);
        Assert.Empty(await Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10));
    }

    [Fact]
    public async Task OversizedAddress_GetsTheSameAnswer()
    {
        Assert.Contains("If that address has published keys", await AnswerAsync(new string('a', 100_000) + "@example.org"));
    }
}
