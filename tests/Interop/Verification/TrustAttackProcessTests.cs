namespace Interop.Tests.Verification;

/// <summary>
/// Attacks on what a keyserver exists for, performed against the real server process in e-mail
/// mode with real gpg and a real SMTP server on loopback: each must fail. (The same attacks run
/// in-process, with crafted keys gpg cannot make, in Keyserver.Web.Tests' TrustAttackTests.)
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class TrustAttackProcessTests
{
    [Fact]
    public async Task Thief_DeletesRevokedKeyAndReuploadsOldCopy_GpgStillGetsTheRevocation()
    {
        const string owner = "owner.revoked@example.org";
        const string thief = "thief@evil.example";
        // No per-key interval, so that the thief's second confirmation mail for the same key is sent.
        await using var site = await MailedKeyserver.StartAsync(("Verification__MailInterval", "00:00:00"));
        using var ownerGpg = GpgHome.Create(site.Server.BaseUri);
        using var thiefGpg = GpgHome.Create(site.Server.BaseUri);
        using var earlyUser = GpgHome.Create(site.Server.BaseUri);
        using var lateUser = GpgHome.Create(site.Server.BaseUri);

        // The owner publishes the key; a user fetches it. The thief copies the secret key now.
        var fingerprint = ownerGpg.GenerateKey($"Owner <{owner}>");
        (await ownerGpg.RunAsync("--send-keys", fingerprint)).EnsureSuccess();
        await ConfirmAsync(site, await site.Mailbox.WaitForAsync(owner));
        (await earlyUser.RunAsync("--recv-keys", fingerprint)).EnsureSuccess();
        var secret = (await ownerGpg.RunAsync("--pinentry-mode", "loopback", "--passphrase", "", "--armor", "--export-secret-keys", fingerprint))
            .EnsureSuccess().StandardOutput;
        await ImportAsync(thiefGpg, secret);

        // The owner revokes the key with the certificate gpg made at generation; users learn of it.
        await ImportAsync(ownerGpg, RevocationCertificate(ownerGpg, fingerprint));
        (await ownerGpg.RunAsync("--send-keys", fingerprint)).EnsureSuccess();
        (await earlyUser.RunAsync("--refresh-keys", fingerprint)).EnsureSuccess();
        Assert.True(IsRevoked(earlyUser, fingerprint), "the revocation reached the user");

        // The thief adds and confirms his address, then deletes the key through a manage link.
        thiefGpg.AddUserId(fingerprint, $"Thief <{thief}>");
        (await thiefGpg.RunAsync("--send-keys", fingerprint)).EnsureSuccess();
        await ConfirmAsync(site, await site.Mailbox.WaitForAsync(thief));
        var (_, manageForm) = await site.Portal.GetAsync("/manage");
        await site.Portal.SubmitAsync("/manage", manageForm, [new("Address", thief)]);
        var managePath = MailLinks.Path(await site.Mailbox.WaitForAsync(thief, count: 2), "manage");
        var (_, keysPage) = await site.Portal.GetAsync(managePath);
        var (_, deleted) = await site.Portal.SubmitAsync(managePath, keysPage, [new("Action", $"confirm-delete:{fingerprint}")]);
        Assert.Contains("The key was deleted.", deleted);

        // What stays is the revocation: a user who has the key still learns that it is revoked.
        (await earlyUser.RunAsync("--refresh-keys", fingerprint)).EnsureSuccess();
        Assert.True(IsRevoked(earlyUser, fingerprint), "the deleted key's revocation is still served");

        // The thief uploads his pre-revocation copy again and confirms his address again.
        (await thiefGpg.RunAsync("--send-keys", fingerprint)).EnsureSuccess();
        await ConfirmAsync(site, await site.Mailbox.WaitForAsync(thief, count: 3));

        // Someone new fetches the key through the thief's address: gpg gets it revoked.
        (await lateUser.RunAsync("--recv-keys", fingerprint)).EnsureSuccess();
        Assert.True(IsRevoked(lateUser, fingerprint), "a re-upload cannot bring back an unrevoked key");
        Assert.False(IsRevoked(thiefGpg, fingerprint), "the thief's own copy was never revoked: the test uploaded an unrevoked key");
    }

    [Fact]
    public async Task FreshKeyPerUpload_OneVictim_GetsThreeMailsWhateverTheKeys()
    {
        const string victim = "victim.flood@example.org";
        await using var site = await MailedKeyserver.StartAsync();

        for (var i = 0; i < 10; i++)
        {
            using var upload = await site.Portal.Http.AddAsync(TestKeys.ArmoredCertificate($"Spam {i} <{victim}>", out _));
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        // The outbox sends in queue order: once a mail queued after the flood is here, the flood had its turn.
        using (var last = await site.Portal.Http.AddAsync(TestKeys.ArmoredCertificate("Bystander <bystander.flood@example.org>", out _)))
        {
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        await site.Mailbox.WaitForAsync("bystander.flood@example.org");
        Assert.Equal(3, site.Mailbox.To(victim).Count);
    }

    [Fact]
    public async Task RacingUploadsOfOneUserIdEach_NeverPassMaxUserIds()
    {
        const int max = 5;
        await using var server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string> { ["Limits__MaxUserIds"] = $"{max}" });
        using var gpg = GpgHome.Create(server.BaseUri);
        var fingerprint = gpg.GenerateKey("Racer 0 <racer0@example.org>");
        var userIds = Enumerable.Range(1, 3 * max).Select(i => $"Racer {i} <racer{i}@example.org>").ToList();
        foreach (var userId in userIds)
        {
            gpg.AddUserId(fingerprint, userId);
        }

        // Each upload carries the primary key and one user ID, all sent at once.
        var copies = userIds.Select(u => gpg.Run("--armor", "--export-filter", $"keep-uid=uid = {u}", "--export", fingerprint)
            .EnsureSuccess().StandardOutput).ToList();
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var statuses = await Task.WhenAll(copies.Select(async armored =>
        {
            using var response = await http.AddAsync(armored);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"answered {s}"));
        Assert.Contains(HttpStatusCode.UnprocessableEntity, statuses);
        using var reader = GpgHome.Create(server.BaseUri);
        (await reader.RunAsync("--recv-keys", fingerprint)).EnsureSuccess();
        var stored = reader.ListKeys(fingerprint).Count(r => r[0] == "uid");
        Assert.InRange(stored, 1, max);
    }

    [Fact]
    public async Task VksUploadOfPublishedView_NamesOnlyUploadedAddresses()
    {
        await using var site = await MailedKeyserver.StartAsync();
        using var gpg = GpgHome.Create(site.Server.BaseUri);
        var fingerprint = gpg.GenerateKey("Public <public.vks@example.org>");
        gpg.AddUserId(fingerprint, "Private <private.vks@example.org>");
        (await gpg.RunAsync("--send-keys", fingerprint)).EnsureSuccess();
        var publicMail = await site.Mailbox.WaitForAsync("public.vks@example.org");
        await ConfirmAsync(site, publicMail);

        // Anyone can fetch the published view and upload it again to ask about the key.
        using var published = await site.Portal.Http.GetKeyAsync(fingerprint);
        var view = await published.Content.ReadAsStringAsync();
        using var upload = await site.Portal.Http.PostAsync(
            new Uri("/vks/v1/upload", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(new { keytext = view }), System.Text.Encoding.UTF8, "application/json"));
        var answer = await upload.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Contains("public.vks@example.org", answer);
        Assert.DoesNotContain("private.vks@example.org", answer);
        Assert.DoesNotContain("pending", answer);
    }

    [Fact]
    public async Task UserIdWithLinkAndNewlines_MailedTextCarriesNothingFromTheKey()
    {
        const string victim = "victim.text@example.org";
        await using var site = await MailedKeyserver.StartAsync();

        using (var upload = await site.Portal.Http.AddAsync(
            TestKeys.ArmoredCertificate($"x\nhttp://evil.example/verify/STEAL\n\u202Eevil <{victim}>", out _)))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        var mail = await site.Mailbox.WaitForAsync(victim);
        Assert.DoesNotContain("evil", mail.TextBody ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("evil", mail.HtmlBody ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("evil", mail.Subject ?? "", StringComparison.Ordinal);
        Assert.StartsWith("/verify/", MailLinks.Path(mail, "verify"), StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", site.Server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mallory <javascript:alert(1)//@example.org>", "has no plain e-mail address")]
    [InlineData("bank@example.com <thief.text@example.org>", "names another address")]
    public async Task UnusableOrDeceptiveAddress_RefusedWithOneLine_NothingMailed(string userId, string line)
    {
        await using var site = await MailedKeyserver.StartAsync();

        using var upload = await site.Portal.Http.AddAsync(TestKeys.ArmoredCertificate(userId, out _));
        var answer = await upload.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Contains(line, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Verification mail sent", answer, StringComparison.Ordinal);
        // A mail queued after the refused one arrives alone: nothing was queued for the refused identity.
        using (var next = await site.Portal.Http.AddAsync(TestKeys.ArmoredCertificate("Next <next.text@example.org>", out _)))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }

        await site.Mailbox.WaitForAsync("next.text@example.org");
        Assert.Single(site.Mailbox.Messages);
        Assert.DoesNotContain("   at ", site.Server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_CountsPublishedKeysOnly()
    {
        await using var site = await MailedKeyserver.StartAsync();
        using (var upload = await site.Portal.Http.AddAsync(TestKeys.ArmoredCertificate("Pending <pending.stats@example.org>", out _)))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        using var stats = JsonDocument.Parse(await site.Portal.Http.GetStringAsync(new Uri("/pks/lookup?op=stats&options=mr", UriKind.Relative)));

        Assert.Equal(0, stats.RootElement.GetProperty("keys").GetInt32());
    }

    private static async Task ConfirmAsync(MailedKeyserver site, MimeKit.MimeMessage mail)
    {
        var path = MailLinks.Path(mail, "verify");
        var (_, form) = await site.Portal.GetAsync(path);
        var (status, page) = await site.Portal.SubmitAsync(path, form);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Published</h1>", page);
    }

    private static async Task ImportAsync(GpgHome gpg, string armored)
    {
        var file = Path.Combine(gpg.Path, Guid.NewGuid().ToString("N") + ".asc");
        await File.WriteAllTextAsync(file, armored);
        (await gpg.RunAsync("--pinentry-mode", "loopback", "--passphrase", "", "--import", file)).EnsureSuccess();
    }

    /// <summary>
    /// The revocation certificate gpg writes at key generation, made importable: gpg prefixes its
    /// armor header with a colon so that it is not imported by accident.
    /// </summary>
    private static string RevocationCertificate(GpgHome gpg, string fingerprint) =>
        File.ReadAllText(Path.Combine(gpg.Path, "openpgp-revocs.d", fingerprint + ".rev"))
            .Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal);

    /// <summary>gpg's validity field of the primary key is "r" once it knows of a key revocation.</summary>
    private static bool IsRevoked(GpgHome gpg, string fingerprint) =>
        gpg.ListKeys(fingerprint).First(r => r[0] == "pub")[1] == "r";
}
