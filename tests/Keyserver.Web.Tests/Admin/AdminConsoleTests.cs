namespace Keyserver.Web.Tests.Admin;

/// <summary>The console's pages in the real host, signed in through a mailed link.</summary>
public sealed class AdminConsoleTests : IDisposable
{
    private readonly AdminHost _host = new();

    public void Dispose() => _host.Dispose();

    private T Service<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    private Task<TestKey> UploadPendingAsync(string userId = "Pending Person <pending@example.org>") => TestKeys.StoreAsync(_host.Services, userId);

    [Fact]
    public async Task Dashboard_CountsIdentitiesByState_DrawsCharts_ListsMailQueue()
    {
        await UploadPendingAsync();
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var id = await Service<IMailOutbox>().EnqueueAsync(new MailRequest(MailKind.Manage, "queued@example.org", null, null, VerificationTokens.Generate(), later.AddHours(1)), later);
        await Service<IMailQueueAdmin>().RecordErrorAsync(id, "451 try again later");
        using var client = await _host.SignedInClientAsync();

        var page = await client.GetStringAsync("/admin");

        Assert.Contains("<dd id=\"keys-stored\">1</dd>", page);
        Assert.Contains("<dd id=\"identities-pending\">1</dd>", page);
        Assert.Contains("<dd id=\"identities-published\">0</dd>", page);
        Assert.Equal(4, page.Split("<svg", StringSplitOptions.None).Length - 1);
        Assert.Contains("queued@example.org", page);
        Assert.Contains("451 try again later", page);
        Assert.DoesNotContain("<script", page);
    }

    [Fact]
    public async Task MailQueue_RetryOneDropAnother_RetriedIsSentDroppedIsGone()
    {
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var outbox = Service<IMailOutbox>();
        var retry = await outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "retry@example.org", null, null, VerificationTokens.Generate(), later.AddHours(1)), later);
        var drop = await outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "drop@example.org", null, null, VerificationTokens.Generate(), later.AddHours(1)), later);
        using var client = await _host.SignedInClientAsync();

        using var retried = await FormPages.PostFormAsync(client, "/admin", "mail-queue", ("Action", $"retry:{retry}"));
        using var dropped = await FormPages.PostFormAsync(client, "/admin", "mail-queue", ("Action", $"drop:{drop}"));
        using var unknown = await FormPages.PostFormAsync(client, "/admin", "mail-queue", ("Action", "retry:<script>"));

        Assert.Contains("The mail will be tried again now.", await retried.Content.ReadAsStringAsync());
        Assert.Contains("The mail was dropped.", await dropped.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("That mail is no longer queued.", await unknown.Content.ReadAsStringAsync());
        await TestKit.Mail.PickupDirectory.WaitForAsync(_host.Outbox, m => m.To.ToString().Contains("retry@example.org", StringComparison.Ordinal), "the retried mail");
        await Eventually.TrueAsync(async () => (await Service<IMailQueueAdmin>().ListAsync(10)).Count == 0, "an empty mail queue");
        Assert.DoesNotContain(Directory.GetFiles(_host.Outbox, "*.eml"), f => File.ReadAllText(f).Contains("drop@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_FindsPendingKeyByAddressAndKeyId_PublicSearchDoesNot()
    {
        var key = await UploadPendingAsync();
        using var client = await _host.SignedInClientAsync();

        var byAddress = await client.GetStringAsync("/admin/keys?q=pending%40example.org");
        var byKeyId = await client.GetStringAsync($"/admin/keys?q=0x{key.Fingerprint[^16..]}");
        using var publicSearch = await client.GetAsync("/pks/lookup?op=index&search=pending%40example.org");

        Assert.Contains($"/admin/keys/{key.Fingerprint}", byAddress);
        Assert.Contains("waiting", byAddress, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"/admin/keys/{key.Fingerprint}", byKeyId);
        Assert.Equal(HttpStatusCode.NotFound, publicSearch.StatusCode);
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("0x")]
    public async Task Keys_HostileQuery_400WithOneLine(string query)
    {
        using var client = await _host.SignedInClientAsync();

        using var response = await client.GetAsync($"/admin/keys?q={query}");
        using var huge = await client.GetAsync($"/admin/keys?q={new string('a', 5000)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("0000000000000000000000000000000000000000")]
    public async Task KeyPage_UnknownOrMalformedFingerprint_404(string fingerprint) =>
        Assert.DoesNotContain("   at ", await GetSignedInAsync($"/admin/keys/{fingerprint}", HttpStatusCode.NotFound));

    [Fact]
    public async Task KeyPage_DeleteAndBlock_KeyGone_BlockListed_HistoryShowsBoth()
    {
        var key = await UploadPendingAsync();
        using var client = await _host.SignedInClientAsync();
        var path = $"/admin/keys/{key.Fingerprint}";
        Assert.Contains("Pending Person &lt;pending@example.org&gt;", await client.GetStringAsync(path));

        using var response = await FormPages.PostFormAsync(client, path, "admin-key", ("Action", "delete"), ("Block", "true"));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Done: key deleted.", page);
        Assert.Null(await Service<IKeyStore>().GetAsync(key.Fingerprint));
        Assert.NotNull(await Service<IBlockList>().FindFingerprintBlockAsync(key.Fingerprint));
        var history = await Service<IAuditLog>().QueryAsync(new AuditQuery(Target: key.Fingerprint), 0, 10);
        Assert.Equal([AuditActions.Purge, AuditActions.Block], history.Entries.Select(e => e.Action));
        Assert.All(history.Entries, e => Assert.Equal(AdminHost.Admin, e.Actor));
        Assert.Contains(key.Fingerprint, await client.GetStringAsync("/admin/blocks"));
        Assert.Contains(">purge<", await client.GetStringAsync($"/admin/audit?target={key.Fingerprint}&action=purge"));
    }

    [Fact]
    public async Task KeyPage_CancelPending_IdentityUnpublished_QueuedMailDropped()
    {
        var key = await UploadPendingAsync();
        await Service<VerificationService>().OnUploadAsync(await Service<KeyIngestor>().IngestAsync(key.Binary, new IngestOptions()));
        using var client = await _host.SignedInClientAsync();

        using var response = await FormPages.PostFormAsync(client, $"/admin/keys/{key.Fingerprint}", "admin-key", ("Action", "cancel:pending@example.org"));

        Assert.Contains("Done: 1 identity unpublished", await response.Content.ReadAsStringAsync());
        Assert.Equal(IdentityState.Unpublished, Assert.Single((await Service<IKeyStore>().GetAsync(key.Fingerprint))!.Identities).State);
        Assert.DoesNotContain(await Service<IMailQueueAdmin>().ListAsync(100), e => e.Fingerprint == key.Fingerprint);
    }

    [Fact]
    public async Task KeyPage_UnpublishPublishedIdentity_AuditedWithAdminAsActor()
    {
        var key = await UploadPendingAsync("Shown Person <shown@example.org>");
        await Service<IKeyStore>().UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        using var client = await _host.SignedInClientAsync();

        using var response = await FormPages.PostFormAsync(client, $"/admin/keys/{key.Fingerprint}", "admin-key", ("Action", "unpublish:Shown Person <shown@example.org>"));

        Assert.Contains("Done: 1 identity unpublished.", await response.Content.ReadAsStringAsync());
        Assert.False((await Service<IKeyStore>().GetAsync(key.Fingerprint))!.IsPublished);
        var entry = Assert.Single((await Service<IAuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.Unpublish), 0, 10)).Entries);
        Assert.Equal(key.Fingerprint, entry.Fingerprint);
        Assert.Equal(AdminHost.Admin, entry.Actor);
    }

    [Fact]
    public async Task Blocks_AddDomainThenRemove_ListedAndAudited()
    {
        using var client = await _host.SignedInClientAsync();

        using var add = await FormPages.PostFormAsync(client, "/admin/blocks", "admin-block", ("Target", "Spam.Example"), ("Reason", "abuse"));
        var listed = await client.GetStringAsync("/admin/blocks");
        using var remove = await FormPages.PostFormAsync(client, "/admin/blocks", "admin-unblock", ("Remove", "Domain:spam.example"));

        Assert.Contains("Done: blocked", await add.Content.ReadAsStringAsync());
        Assert.Contains("abuse", listed);
        Assert.Contains("Done: unblocked", await remove.Content.ReadAsStringAsync());
        Assert.Empty(await Service<IBlockList>().ListAsync());
        Assert.Equal(2, (await Service<IAuditLog>().QueryAsync(new AuditQuery(Target: "spam.example"), 0, 10)).Total);
    }

    [Theory]
    [InlineData("admin-block", "Target", "not a target!")]
    [InlineData("admin-block", "Target", "<script>alert(1)</script>")]
    [InlineData("admin-unblock", "Remove", "Nonsense:value")]
    [InlineData("admin-unblock", "Remove", "7:spam.example")]
    public async Task Blocks_HostileInput_400AndNothingBlocked(string form, string field, string value)
    {
        using var client = await _host.SignedInClientAsync();

        using var response = await FormPages.PostFormAsync(client, "/admin/blocks", form, (field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<script>alert", await response.Content.ReadAsStringAsync());
        Assert.Empty(await Service<IBlockList>().ListAsync());
    }

    [Fact]
    public async Task Blocks_OverlongReason_400()
    {
        using var client = await _host.SignedInClientAsync();

        using var response = await FormPages.PostFormAsync(client, "/admin/blocks", "admin-block", ("Target", "spam.example"), ("Reason", new string('r', 5000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await Service<IBlockList>().ListAsync());
    }

    public static TheoryData<string> BadAuditFilters => new()
    {
        "from=yesterday",
        "until=2026-13-45",
        "page=abc",
        "page=-1",
    };

    [Theory]
    [MemberData(nameof(BadAuditFilters))]
    public async Task Audit_BadFilter_400(string query) =>
        Assert.Contains("role=\"alert\"", await GetSignedInAsync($"/admin/audit?{query}", HttpStatusCode.BadRequest));

    [Fact]
    public async Task Audit_FiltersByActorActionAndDay()
    {
        var log = Service<IAuditLog>();
        var day = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await log.AppendAsync(new AuditEntry(day, "someone@example.org", AuditActions.Block, null, "one.example", "done"));
        await log.AppendAsync(new AuditEntry(day.AddDays(1), "other@example.org", AuditActions.Unblock, null, "two.example", "done"));
        using var client = await _host.SignedInClientAsync();

        var byActor = await client.GetStringAsync("/admin/audit?actor=someone%40example.org");
        var byDay = await client.GetStringAsync("/admin/audit?from=2026-03-02&until=2026-03-02");
        var byAction = await client.GetStringAsync("/admin/audit?action=unblock");

        Assert.Contains("one.example", byActor);
        Assert.DoesNotContain("two.example", byActor);
        Assert.Contains("two.example", byDay);
        Assert.DoesNotContain("one.example", byDay);
        Assert.Contains("two.example", byAction);
        Assert.DoesNotContain("one.example", byAction);
    }

    private async Task<string> GetSignedInAsync(string path, HttpStatusCode expected)
    {
        using var client = await _host.SignedInClientAsync();
        return await FormPages.GetPageAsync(client, path, expected);
    }
}
