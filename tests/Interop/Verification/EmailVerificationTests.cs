namespace Interop.Tests.Verification;

/// <summary>
/// E-mail verification end to end: the real server process in <c>Email</c> mode, real gpg, and a real
/// SMTP server on loopback that receives the verification mail. Forms are posted as a browser would
/// (antiforgery cookie plus hidden token).
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class EmailVerificationTests
{
    /// <summary>Uploads a fresh key for <paramref name="address"/> and returns the path of the verification link mailed for it.</summary>
    private static async Task<string> UploadForVerifyLinkAsync(PortalClient portal, Mailbox mailbox, string name, string address)
    {
        await UploadAsync(portal, $"{name} <{address}>");
        return MailLinks.Path(await mailbox.WaitForAsync(address), "verify");
    }

    /// <summary>Uploads a fresh certificate for <paramref name="userId"/> over HKP and returns its fingerprint.</summary>
    private static async Task<string> UploadAsync(PortalClient portal, string userId)
    {
        using var upload = await portal.Http.AddAsync(TestKeys.ArmoredCertificate(userId, out var fingerprint));
        Assert.True(upload.IsSuccessStatusCode, await upload.DescribeAsync());
        return fingerprint;
    }

    [Fact]
    public async Task GpgUpload_ConfirmedThroughMailedLink_GpgFindsIdentity()
    {
        const string address = "alice.gpg@example.org";
        await using var site = await MailedKeyserver.StartAsync();
        using var owner = GpgHome.Create(site.Server.BaseUri);
        using var stranger = GpgHome.Create(site.Server.BaseUri);
        var fingerprint = owner.GenerateKey($"Alice Gpg <{address}>");

        (await owner.RunAsync("--send-keys", fingerprint)).EnsureSuccess();

        // Pending: not served to anyone until the owner of the address says yes.
        Assert.NotEqual(0, (await stranger.RunAsync("--recv-keys", fingerprint)).ExitCode);
        using (var before = await site.Portal.Http.GetKeyAsync(fingerprint))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using (var indexBefore = await site.Portal.Http.IndexAsync(address))
        {
            Assert.Equal(HttpStatusCode.NotFound, indexBefore.StatusCode);
        }

        var searchBefore = await stranger.RunAsync("--with-colons", "--search-keys", address);
        Assert.DoesNotContain(fingerprint, searchBefore.StandardOutput, StringComparison.OrdinalIgnoreCase);

        var mail = await site.Mailbox.WaitForAsync(address);
        Assert.Contains(MailLinks.PublicUrl + "/verify/", mail.TextBody);
        var path = MailLinks.Path(mail, "verify");

        var (status, html) = await site.Portal.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Publish your identity?", html);
        Assert.Contains(address, html);

        // Opening the link (as a mail scanner would) publishes nothing.
        using (var afterGet = await site.Portal.Http.GetKeyAsync(fingerprint))
        {
            Assert.Equal(HttpStatusCode.NotFound, afterGet.StatusCode);
        }

        Assert.NotEqual(0, (await stranger.RunAsync("--recv-keys", fingerprint)).ExitCode);

        var (postStatus, published) = await site.Portal.SubmitAsync(path, html);
        Assert.Equal(HttpStatusCode.OK, postStatus);
        Assert.Contains("<h1>Published</h1>", published);

        (await stranger.RunAsync("--recv-keys", fingerprint)).EnsureSuccess();
        Assert.Contains(stranger.ListKeys(fingerprint), r => r[0] == "uid" && r[9] == $"Alice Gpg <{address}>");

        var search = (await stranger.RunAsync("--with-colons", "--search-keys", address)).EnsureSuccess();
        Assert.Contains(fingerprint, search.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(address, search.StandardOutput);
    }

    [Fact]
    public async Task VerifyPost_WithoutAntiforgeryToken_Returns400AndPublishesNothing()
    {
        const string address = "bob.noform@example.org";
        await using var site = await MailedKeyserver.StartAsync();
        var fingerprint = await UploadAsync(site.Portal, $"Bob <{address}>");
        var path = MailLinks.Path(await site.Mailbox.WaitForAsync(address), "verify");
        var (_, html) = await site.Portal.GetAsync(path);

        var (status, body) = await site.Portal.SubmitAsync(path, html, withoutToken: true);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("   at ", body);
        using var lookup = await site.Portal.Http.GetKeyAsync(fingerprint);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        // The refused post did not use up the link.
        var (again, page) = await site.Portal.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Contains("Publish your identity?", page);
    }

    [Fact]
    public async Task VerifyToken_Reused_ShowsAlreadyUsedPage()
    {
        const string address = "carol.twice@example.org";
        await using var site = await MailedKeyserver.StartAsync();
        var path = await UploadForVerifyLinkAsync(site.Portal, site.Mailbox, "Carol", address);
        var (_, html) = await site.Portal.GetAsync(path);
        var (_, published) = await site.Portal.SubmitAsync(path, html);
        Assert.Contains("<h1>Published</h1>", published);

        // A fresh look at the link finds it used; a second post of the old form changes nothing.
        var (getStatus, getPage) = await site.Portal.GetAsync(path);
        var (postStatus, postPage) = await site.Portal.SubmitAsync(path, html);

        Assert.Equal(HttpStatusCode.Gone, getStatus);
        Assert.Contains("This link was already used", getPage);
        Assert.DoesNotContain("<h1>Published</h1>", postPage);
        Assert.Equal(HttpStatusCode.Gone, postStatus);
        Assert.Contains("This link was already used", postPage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("short")]
    [InlineData("not-base64url!!")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task VerifyToken_Forged_ShowsUnknownLinkPage(string token)
    {
        await using var site = await MailedKeyserver.StartAsync();

        var (status, html) = await site.Portal.GetAsync("/verify/" + Uri.EscapeDataString(token));

        // An unknown link is a 404 with its own page in the site layout.
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("This link is not valid", html);
        Assert.DoesNotContain("<form", html);
        Assert.DoesNotContain("<script>alert", html);
    }

    [Theory]
    [MemberData(nameof(MalformedAddresses))]
    public async Task ManageRequest_MalformedAddress_SamePageAndNoMail(string address)
    {
        if (address == "oversized")
        {
            address = new string('a', 10_000) + "@example.org";
        }

        await using var site = await MailedKeyserver.StartAsync();

        var (_, formForHostile) = await site.Portal.GetAsync("/manage");
        var forHostile = await site.Portal.SubmitAsync("/manage", formForHostile, [new("Address", address)]);
        var (_, formForPlain) = await site.Portal.GetAsync("/manage");
        var forPlain = await site.Portal.SubmitAsync("/manage", formForPlain, [new("Address", "plain.unknown@example.org")]);

        Assert.Equal(forPlain.Status, forHostile.Status);
        Assert.Equal(PortalClient.WithoutRandomParts(forPlain.Html), PortalClient.WithoutRandomParts(forHostile.Html));

        // A later mail through the same queue arrives alone: nothing was queued for the hostile input.
        const string sentinel = "sentinel@example.org";
        await UploadAsync(site.Portal, $"Sentinel <{sentinel}>");
        await site.Mailbox.WaitForAsync(sentinel);
        Assert.Single(site.Mailbox.Messages);
    }

    public static TheoryData<string> MalformedAddresses => new()
    {
        "",
        "not-an-address",
        "victim@example.org\r\nBcc: everyone@example.org",
        "<script>alert(1)</script>@example.org",
        "oversized",
    };

    [Fact]
    public async Task ManageRequest_UnknownAndKnownAddress_SamePageOnlyKnownMailed()
    {
        const string known = "dave.known@example.org";
        const string unknown = "nobody.here@example.org";
        await using var site = await MailedKeyserver.StartAsync();
        var verify = await UploadForVerifyLinkAsync(site.Portal, site.Mailbox, "Dave", known);
        var (_, verifyHtml) = await site.Portal.GetAsync(verify);
        Assert.Contains("<h1>Published</h1>", (await site.Portal.SubmitAsync(verify, verifyHtml)).Html);

        var (_, formForUnknown) = await site.Portal.GetAsync("/manage");
        var forUnknown = await site.Portal.SubmitAsync("/manage", formForUnknown, [new("Address", unknown)]);
        var (_, formForKnown) = await site.Portal.GetAsync("/manage");
        var forKnown = await site.Portal.SubmitAsync("/manage", formForKnown, [new("Address", known)]);

        Assert.Equal(HttpStatusCode.OK, forUnknown.Status);
        Assert.Equal(forKnown.Status, forUnknown.Status);
        Assert.Contains("If that address has published keys here", forKnown.Html);
        Assert.Equal(PortalClient.WithoutRandomParts(forKnown.Html), PortalClient.WithoutRandomParts(forUnknown.Html));

        // The outbox sends in queue order: once the later manage mail is here, the earlier request had its turn.
        var manage = await site.Mailbox.WaitForAsync(known, count: 2);
        Assert.StartsWith("/manage/", MailLinks.Path(manage, "manage"), StringComparison.Ordinal);
        Assert.Empty(site.Mailbox.To(unknown));
    }
}
