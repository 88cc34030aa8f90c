namespace Keyserver.Web.Tests.Components.Pages;

public sealed class KeyDetailsTests : PortalContext
{
    private IRenderedComponent<KeyDetails> Open(string fingerprint) =>
        Render<KeyDetails>(p => p.Add(c => c.Fingerprint, fingerprint));

    [Fact]
    public async Task PublishedKey_ShowsSubkeyUsageIdentitiesAndCommands()
    {
        var (key, _) = await UploadAsync("Alice Example <alice@example.org>");
        await PublishAllAsync(key.Fingerprint);

        var page = Open(key.Fingerprint.ToLowerInvariant());

        Assert.Contains(key.Fingerprint[..4], page.Find("h1").TextContent);
        var subkeyRow = page.Find("tbody tr");
        Assert.Contains(key.SubkeyFingerprint[..4], subkeyRow.TextContent);
        Assert.Contains("encrypt", subkeyRow.TextContent);
        Assert.Contains("ECDH", subkeyRow.TextContent);
        Assert.Equal("Alice Example <alice@example.org>", page.Find("ul.uids .uid").TextContent);
        var commands = page.FindAll("pre code").Select(c => c.TextContent).ToList();
        Assert.Contains($"gpg --keyserver hkps://keys.example.org --recv-keys {key.Fingerprint}", commands);
        Assert.Contains($"apptainer key pull --url https://keys.example.org {key.Fingerprint}", commands);
        Assert.Contains($"sifsign key pull --url https://keys.example.org {key.Fingerprint}", commands);
        Assert.Contains("BEGIN PGP PUBLIC KEY BLOCK", page.Find("pre.armor").TextContent);
        Assert.Equal($"/pks/lookup?op=get&options=mr&search=0x{key.Fingerprint}", page.Find("a[download]").GetAttribute("href"));
    }

    [Fact]
    public async Task RevokedKey_ShowsRevocationReason()
    {
        var (key, _) = await UploadAsync("Rita Revoked <rita@example.org>");
        var record = await PublishAllAsync(key.Fingerprint);
        await ReplacePrimaryAsync(record, record.Primary with { Revoked = new Revocation(DateTimeOffset.UtcNow, 2, "stolen laptop") });

        var page = Open(key.Fingerprint);

        Assert.Contains("compromised: stolen laptop", page.Markup);
        Assert.NotNull(page.Find("dl.facts .status.revoked"));
    }

    [Fact]
    public async Task ExpiredKey_ShowsExpiry()
    {
        var (key, _) = await UploadAsync("Ed Expired <ed@example.org>");
        var record = await PublishAllAsync(key.Fingerprint);
        var expired = DateTimeOffset.UtcNow.AddDays(-3);
        await ReplacePrimaryAsync(record, record.Primary with { Expires = expired });

        var page = Open(key.Fingerprint);

        Assert.Equal($"expired {expired.UtcDateTime:yyyy-MM-dd}", page.Find("dl.facts .status").TextContent);
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("not-a-fingerprint")]
    [InlineData("<script>alert(1)</script>")]
    public void UnknownOrMalformedFingerprint_SaysNotFound(string fingerprint) =>
        AssertRefused(Open(fingerprint), "Key not found", "script");

    [Fact]
    public async Task KeyWithOnlyPendingIdentities_IsNotShown()
    {
        var (key, _) = await UploadAsync("Pending Person <pending@example.org>");

        var page = Open(key.Fingerprint);

        Assert.Equal("Key not found", page.Find("h1").TextContent);
        Assert.DoesNotContain("Pending Person", page.Markup);
    }

    [Fact]
    public async Task PendingIdentityBesidePublishedOne_IsNotListed()
    {
        var (key, _) = await UploadAsync("Public Name <public@example.org>", "Secret Name <secret@example.org>");
        await Store.UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(
            r!, i => i.Email == "public@example.org" ? IdentityState.Published : i.State, DateTimeOffset.UtcNow));

        var page = Open(key.Fingerprint);

        Assert.Equal("Public Name <public@example.org>", Assert.Single(page.FindAll("ul.uids .uid")).TextContent);
        Assert.DoesNotContain("Secret Name", page.Markup);
    }

    [Fact]
    public async Task HostileUserId_IsRenderedAsText()
    {
        var (key, _) = await UploadAsync("<script>alert(1)</script> <evil@example.org>");
        await PublishAllAsync(key.Fingerprint);

        var page = Open(key.Fingerprint);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Markup);
        Assert.Empty(page.FindAll("script"));
    }
}
