using System.Net;
using Interop.Tests.Infrastructure;
using TestKit.Mail;

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
        using (var upload = await portal.Http.AddAsync(TestKeys.ArmoredCertificate($"{name} <{address}>", out _)))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.DescribeAsync());
        }

        return MailLinks.Path(await mailbox.WaitForAsync(address), "verify");
    }

    [Fact]
    public async Task GpgUpload_ConfirmedThroughMailedLink_GpgFindsIdentity()
    {
        const string address = "alice.gpg@example.org";
        using var smtp = LoopbackSmtpServer.Start();
        await using var server = await KeyserverProcess.StartAsync(env: MailLinks.ServerEnvironment(smtp.Port));
        using var owner = GpgHome.Create(server.BaseUri);
        using var stranger = GpgHome.Create(server.BaseUri);
        using var portal = new PortalClient(server.BaseUri);
        var fingerprint = owner.GenerateKey($"Alice Gpg <{address}>");

        (await owner.RunAsync("--send-keys", fingerprint)).EnsureSuccess();

        // Pending: not served to anyone until the owner of the address says yes.
        Assert.NotEqual(0, (await stranger.RunAsync("--recv-keys", fingerprint)).ExitCode);
        using (var before = await portal.Http.GetKeyAsync(fingerprint))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using (var indexBefore = await portal.Http.IndexAsync(address))
        {
            Assert.Equal(HttpStatusCode.NotFound, indexBefore.StatusCode);
        }

        var searchBefore = await stranger.RunAsync("--with-colons", "--search-keys", address);
        Assert.DoesNotContain(fingerprint, searchBefore.StandardOutput, StringComparison.OrdinalIgnoreCase);

        var mail = await smtp.Mailbox.WaitForAsync(address);
        Assert.Contains(MailLinks.PublicUrl + "/verify/", mail.TextBody);
        var path = MailLinks.Path(mail, "verify");

        var (status, html) = await portal.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Publish your identity?", html);
        Assert.Contains(address, html);

        // Opening the link (as a mail scanner would) publishes nothing.
        using (var afterGet = await portal.Http.GetKeyAsync(fingerprint))
        {
            Assert.Equal(HttpStatusCode.NotFound, afterGet.StatusCode);
        }

        Assert.NotEqual(0, (await stranger.RunAsync("--recv-keys", fingerprint)).ExitCode);

        var (postStatus, published) = await portal.SubmitAsync(path, html);
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
        using var smtp = LoopbackSmtpServer.Start();
        await using var server = await KeyserverProcess.StartAsync(env: MailLinks.ServerEnvironment(smtp.Port));
        using var portal = new PortalClient(server.BaseUri);
        var armored = TestKeys.ArmoredCertificate($"Bob <{address}>", out var fingerprint);
        using (var upload = await portal.Http.AddAsync(armored))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.DescribeAsync());
        }

        var path = MailLinks.Path(await smtp.Mailbox.WaitForAsync(address), "verify");
        var (_, html) = await portal.GetAsync(path);

        var (status, body) = await portal.SubmitAsync(path, html, withoutToken: true);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("   at ", body);
        using var lookup = await portal.Http.GetKeyAsync(fingerprint);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        // The refused post did not use up the link.
        var (again, page) = await portal.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Contains("Publish your identity?", page);
    }

    [Fact]
    public async Task VerifyToken_Reused_ShowsAlreadyUsedPage()
    {
        const string address = "carol.twice@example.org";
        using var smtp = LoopbackSmtpServer.Start();
        await using var server = await KeyserverProcess.StartAsync(env: MailLinks.ServerEnvironment(smtp.Port));
        using var portal = new PortalClient(server.BaseUri);
        var path = await UploadForVerifyLinkAsync(portal, smtp.Mailbox, "Carol", address);
        var (_, html) = await portal.GetAsync(path);
        var (_, published) = await portal.SubmitAsync(path, html);
        Assert.Contains("<h1>Published</h1>", published);

        // A fresh look at the link finds it used; a second post of the old form changes nothing.
        var (getStatus, getPage) = await portal.GetAsync(path);
        var (postStatus, postPage) = await portal.SubmitAsync(path, html);

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
        using var smtp = LoopbackSmtpServer.Start();
        await using var server = await KeyserverProcess.StartAsync(env: MailLinks.ServerEnvironment(smtp.Port));
        using var portal = new PortalClient(server.BaseUri);

        var (status, html) = await portal.GetAsync("/verify/" + Uri.EscapeDataString(token));

        // An unknown link is a 404 with its own page in the site layout.
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("This link is not valid", html);
        Assert.DoesNotContain("<form", html);
        Assert.DoesNotContain("<script>alert", html);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("victim@example.org\r\nBcc: everyone@example.org")]
    [InlineData("<script>alert(1)</script>@example.org")]
    [InlineData("oversized")]
    public async Task ManageRequest_MalformedAddress_SamePageAndNoMail(string address)
    {
        if (address == "oversized")
        {
            address = new string('a', 10_000) + "@example.org";
        }

        using var smtp = LoopbackSmtpServer.Start();
        await using var server = await KeyserverProcess.StartAsync(env: MailLinks.ServerEnvironment(smtp.Port));
        using var portal = new PortalClient(server.BaseUri);

        var (_, formForHostile) = await portal.GetAsync("/manage");
        var forHostile = await portal.SubmitAsync("/manage", formForHostile, [new("Address", address)]);
        var (_, formForPlain) = await portal.GetAsync("/manage");
        var forPlain = await portal.SubmitAsync("/manage", formForPlain, [new("Address", "plain.unknown@example.org")]);

        Assert.Equal(forPlain.Status, forHostile.Status);
        Assert.Equal(PortalClient.WithoutRandomParts(forPlain.Html), PortalClient.WithoutRandomParts(forHostile.Html));

        // A later mail through the same queue arrives alone: nothing was queued for the hostile input.
        const string sentinel = "sentinel@example.org";
        using (var upload = await portal.Http.AddAsync(TestKeys.ArmoredCertificate($"Sentinel <{sentinel}>", out _)))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.DescribeAsync());
        }

        await smtp.Mailbox.WaitForAsync(sentinel);
        Assert.Single(smtp.Mailbox.Messages);
    }

    [Fact]
    public async Task ManageRequest_UnknownAndKnownAddress_SamePageOnlyKnownMailed()
    {
        const string known = "dave.known@example.org";
        const string unknown = "nobody.here@example.org";
        using var smtp = LoopbackSmtpServer.Start();
        await using var server = await KeyserverProcess.StartAsync(env: MailLinks.ServerEnvironment(smtp.Port));
        using var portal = new PortalClient(server.BaseUri);
        var verify = await UploadForVerifyLinkAsync(portal, smtp.Mailbox, "Dave", known);
        var (_, verifyHtml) = await portal.GetAsync(verify);
        Assert.Contains("<h1>Published</h1>", (await portal.SubmitAsync(verify, verifyHtml)).Html);

        var (_, formForUnknown) = await portal.GetAsync("/manage");
        var forUnknown = await portal.SubmitAsync("/manage", formForUnknown, [new("Address", unknown)]);
        var (_, formForKnown) = await portal.GetAsync("/manage");
        var forKnown = await portal.SubmitAsync("/manage", formForKnown, [new("Address", known)]);

        Assert.Equal(HttpStatusCode.OK, forUnknown.Status);
        Assert.Equal(forKnown.Status, forUnknown.Status);
        Assert.Contains("If that address has published keys here", forKnown.Html);
        Assert.Equal(PortalClient.WithoutRandomParts(forKnown.Html), PortalClient.WithoutRandomParts(forUnknown.Html));

        // The outbox sends in queue order: once the later manage mail is here, the earlier request had its turn.
        var manage = await smtp.Mailbox.WaitForAsync(known, count: 2);
        Assert.StartsWith("/manage/", MailLinks.Path(manage, "manage"), StringComparison.Ordinal);
        Assert.Empty(smtp.Mailbox.To(unknown));
    }
}
