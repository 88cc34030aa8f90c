namespace Keyserver.Core.Tests.Verification;

public sealed class VerificationServiceTests : VerificationServiceContext
{
    private const string AliceWork = "alice@work.example";
    private const string AliceHome = "alice@example.org";

    private async Task<IReadOnlyList<string>> UploadAsync(string vector, VerificationService? service = null) =>
        await (service ?? Service()).OnUploadAsync(await IngestAsync(TestVectors.Read(vector)));

    private string TokenFor(string address, MailKind kind = MailKind.Verify) =>
        _outbox.Mails.Last(m => m.To == address && m.Kind == kind).Token;

    private async Task<bool> FindableByAsync(string address) =>
        (await _keys.FindAsync(new KeyQuery.ByEmail(address), 0, 10)).Total > 0;

    [Fact]
    public async Task Upload_EmailMode_MailsEachPendingUnrevokedAddress()
    {
        var mailed = await UploadAsync("rsa-alice.pgp");

        // old@example.org is revoked by its owner: nobody is asked to publish it.
        Assert.Equal([AliceWork, AliceHome], mailed.Order().Reverse());
        Assert.Equal(2, _outbox.Mails.Count);
        var mail = _outbox.Mails.Single(m => m.To == AliceHome);
        Assert.Equal(MailKind.Verify, mail.Kind);
        Assert.Equal(TestVectors.AliceFingerprint, mail.Fingerprint);
        Assert.Equal("Alice Example <alice@example.org>", mail.UserId);
        Assert.Equal(TestVectors.Now + TimeSpan.FromDays(3), mail.Expires);
        Assert.False(await FindableByAsync(AliceHome));
    }

    [Fact]
    public async Task Upload_Tokens_StoredOnlyAsHashBoundToKeyAndAddress()
    {
        await UploadAsync("ed25519-eve.asc");

        var token = TokenFor(Eve);
        var stored = Assert.Single(_store.Tokens);
        Assert.Equal(VerificationTokens.Hash(token), stored.Hash);
        Assert.NotEqual(token, stored.Hash);
        Assert.Equal((TokenPurpose.Verify, TestVectors.EveFingerprint, Eve), (stored.Purpose, stored.Fingerprint, stored.Address));
        Assert.Null(stored.Used);
    }

    [Fact]
    public async Task Upload_NoneMode_MailsNothingAndPublishes()
    {
        var service = Service(Settings with { Mode = PublicationMode.None });

        var mailed = await service.OnUploadAsync(await IngestAsync(TestVectors.Read("ed25519-eve.asc"), PublicationMode.None));

        Assert.Empty(mailed);
        Assert.Empty(_outbox.Mails);
        Assert.True(await FindableByAsync(Eve));
    }

    [Fact]
    public async Task Upload_ThousandConcurrentUploadsNamingOneAddress_OneMail()
    {
        var service = Service();
        var reports = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => IngestAsync(TestVectors.Read("ed25519-eve.asc"))));

        var mailed = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => service.OnUploadAsync(reports[i % reports.Length]))));

        Assert.Single(_outbox.Mails);
        Assert.Equal(1, mailed.Count(m => m.Count == 1));
    }

    [Fact]
    public async Task Upload_AgainWithinInterval_NoMail_AfterInterval_NewMail()
    {
        await UploadAsync("ed25519-eve.asc");
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(await UploadAsync("ed25519-eve.asc"));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([Eve], await UploadAsync("ed25519-eve.asc"));
        Assert.Equal(2, _outbox.Mails.Count);
    }

    [Fact]
    public async Task Upload_IdentityWithoutAddress_NeverMailedNorPublished()
    {
        var key = Crafted.NewKey(Crafted.NewKeyPair(), "Nobody Without Address");

        var report = await IngestAsync(key);
        var mailed = await Service().OnUploadAsync(report);

        Assert.Empty(mailed);
        Assert.Empty(_outbox.Mails);
        Assert.False((await _keys.GetAsync(report.Keys[0].Fingerprint!))!.IsPublished);
    }

    [Fact]
    public async Task Lookup_ValidToken_ShowsIdentityWithoutUsingIt()
    {
        await UploadAsync("ed25519-eve.asc");
        var service = Service();

        var first = await service.LookupAsync(TokenFor(Eve));
        var second = await service.LookupAsync(TokenFor(Eve));

        Assert.Equal(TokenState.Valid, first.State);
        Assert.Equal(TestVectors.EveFingerprint, first.Fingerprint);
        Assert.Equal(Eve, first.Address);
        Assert.Equal("Eve Ed25519 <eve@example.org>", Assert.Single(first.Identities).UserId);
        Assert.Equal(TokenState.Valid, second.State);
        Assert.False(await FindableByAsync(Eve));
    }

    [Fact]
    public async Task Confirm_ValidToken_PublishesOnlyThatAddress()
    {
        await UploadAsync("rsa-alice.pgp");

        var result = await Service().ConfirmAsync(TokenFor(AliceHome));

        Assert.Equal(TokenState.Valid, result.State);
        Assert.Equal(IdentityState.Published, Assert.Single(result.Identities).State);
        var record = (await _keys.GetAsync(TestVectors.AliceFingerprint))!;
        Assert.Equal([AliceHome], record.PublishedEmails);
        Assert.True(await FindableByAsync(AliceHome));
        Assert.False(await FindableByAsync(AliceWork));
        Assert.Equal(IdentityState.Pending, record.Identities.Single(i => i.Email == AliceWork).State);
    }

    [Fact]
    public async Task Confirm_Twice_SecondReportsUsed()
    {
        await UploadAsync("ed25519-eve.asc");
        var service = Service();
        await service.ConfirmAsync(TokenFor(Eve));

        var again = await service.ConfirmAsync(TokenFor(Eve));

        Assert.Equal(TokenState.Used, again.State);
        Assert.Equal(TokenState.Used, (await service.LookupAsync(TokenFor(Eve))).State);
    }

    [Fact]
    public async Task Confirm_ConcurrentUses_OnlyOneSucceeds()
    {
        await UploadAsync("ed25519-eve.asc");
        var service = Service();
        var token = TokenFor(Eve);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => service.ConfirmAsync(token))));

        Assert.Equal(1, results.Count(r => r.State == TokenState.Valid));
        Assert.All(results.Where(r => r.State != TokenState.Valid), r => Assert.Equal(TokenState.Used, r.State));
    }

    [Fact]
    public async Task Confirm_AfterLifetime_ExpiredAndNothingPublished()
    {
        await UploadAsync("ed25519-eve.asc");
        _clock.Advance(TimeSpan.FromDays(3));

        var result = await Service().ConfirmAsync(TokenFor(Eve));

        Assert.Equal(TokenState.Expired, result.State);
        Assert.Null(result.Fingerprint);
        Assert.False(await FindableByAsync(Eve));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("../../etc/passwd")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well-formed, never issued
    public async Task Confirm_ForgedOrGarbageToken_Unknown(string? token)
    {
        await UploadAsync("ed25519-eve.asc");

        var result = await Service().ConfirmAsync(token);

        Assert.Equal(TokenState.Unknown, result.State);
        Assert.False(await FindableByAsync(Eve));
    }

    [Fact]
    public async Task Confirm_ManageToken_UnknownAsVerification()
    {
        var service = await EveWithManageLinkAsync();

        var result = await service.ConfirmAsync(TokenFor(Eve, MailKind.Manage));

        Assert.Equal(TokenState.Unknown, result.State);
    }

    [Fact]
    public async Task Confirm_KeyDeletedMeanwhile_UnknownNoException()
    {
        await UploadAsync("ed25519-eve.asc");
        await _keys.UpdateAsync(TestVectors.EveFingerprint, _ => null);

        var result = await Service().ConfirmAsync(TokenFor(Eve));

        Assert.Equal(TokenState.Unknown, result.State);
    }

    [Fact]
    public async Task RequestManageLink_PublishedAddress_MailsManageLink()
    {
        await PublishEveAsync();

        await Service().RequestManageLinkAsync("  EVE@Example.org ");

        var mail = Assert.Single(_outbox.Mails, m => m.Kind == MailKind.Manage);
        Assert.Equal(Eve, mail.To);
        Assert.Equal(TestVectors.Now + VerificationSettings.SessionTokenLifetime, mail.Expires);
    }

    [Theory]
    [InlineData("nobody@example.org")]
    [InlineData("eve@example.org")] // uploaded, but only pending
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData("Eve <eve@example.org>")]
    public async Task RequestManageLink_NoPublishedIdentity_NoMail(string address)
    {
        await UploadAsync("ed25519-eve.asc");

        await Service().RequestManageLinkAsync(address);

        Assert.DoesNotContain(_outbox.Mails, m => m.Kind == MailKind.Manage);
    }

    [Fact]
    public async Task RequestManageLink_Repeated_OneMailPerInterval()
    {
        await PublishEveAsync();
        var service = Service();

        for (var i = 0; i < 50; i++)
        {
            await service.RequestManageLinkAsync(Eve);
        }

        Assert.Single(_outbox.Mails, m => m.Kind == MailKind.Manage);
    }

    [Fact]
    public async Task ManageView_ValidToken_ListsKeysOfAddress()
    {
        var service = await EveWithManageLinkAsync();

        var view = await service.GetManageViewAsync(TokenFor(Eve, MailKind.Manage));

        Assert.Equal(TokenState.Valid, view.State);
        Assert.Equal(Eve, view.Address);
        var key = Assert.Single(view.Keys);
        Assert.Equal(TestVectors.EveFingerprint, key.Fingerprint);
        Assert.Equal(IdentityState.Published, Assert.Single(key.Identities).State);
    }

    [Fact]
    public async Task ManageView_ExpiredOrVerifyToken_NotValid()
    {
        var service = await EveWithManageLinkAsync();
        var manage = TokenFor(Eve, MailKind.Manage);
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TokenState.Expired, (await service.GetManageViewAsync(manage)).State);
        Assert.Equal(TokenState.Unknown, (await service.GetManageViewAsync(TokenFor(Eve))).State);
        Assert.Equal(ManageOutcome.InvalidToken, await service.DeleteKeyAsync(manage, TestVectors.EveFingerprint));
    }

    [Fact]
    public async Task Unpublish_OwnIdentity_GoneFromNextLookup()
    {
        var service = await EveWithManageLinkAsync();

        var outcome = await service.UnpublishAsync(TokenFor(Eve, MailKind.Manage), TestVectors.EveFingerprint, "Eve Ed25519 <eve@example.org>");

        Assert.Equal(ManageOutcome.Done, outcome);
        Assert.False(await FindableByAsync(Eve));
        var record = (await _keys.GetAsync(TestVectors.EveFingerprint))!;
        Assert.Equal(IdentityState.Unpublished, Assert.Single(record.Identities).State);
        Assert.False(record.IsPublished);
    }

    [Fact]
    public async Task Unpublish_IdentityOfAnotherAddress_NotFound()
    {
        await UploadAsync("rsa-alice.pgp");
        var service = Service();
        await service.ConfirmAsync(TokenFor(AliceHome));
        await service.ConfirmAsync(TokenFor(AliceWork));
        await service.RequestManageLinkAsync(AliceHome);

        var outcome = await service.UnpublishAsync(TokenFor(AliceHome, MailKind.Manage), TestVectors.AliceFingerprint, "Alice Work <alice@work.example>");

        Assert.Equal(ManageOutcome.NotFound, outcome);
        Assert.True(await FindableByAsync(AliceWork));
    }

    [Fact]
    public async Task DeleteKey_OwnKey_Deleted_OtherKey_NotFound()
    {
        await PublishEveAsync();
        await UploadAsync("dsa-elg-dave.asc");
        var service = Service();
        await service.RequestManageLinkAsync(Eve);
        var manage = TokenFor(Eve, MailKind.Manage);

        Assert.Equal(ManageOutcome.NotFound, await service.DeleteKeyAsync(manage, TestVectors.DaveFingerprint));
        Assert.Equal(ManageOutcome.Done, await service.DeleteKeyAsync(manage, TestVectors.EveFingerprint));

        Assert.Null(await _keys.GetAsync(TestVectors.EveFingerprint));
        Assert.NotNull(await _keys.GetAsync(TestVectors.DaveFingerprint));
    }

    [Fact]
    public async Task UploadStatus_OnlyUploadedAddresses_OnlyWhetherPublished()
    {
        await UploadAsync("rsa-alice.pgp");
        var service = Service();
        await service.ConfirmAsync(TokenFor(AliceHome));

        var status = (await service.IssueUploadStatusAsync(TestVectors.AliceFingerprint, [AliceHome, AliceWork]))!;
        var partial = (await service.IssueUploadStatusAsync(TestVectors.AliceFingerprint, [AliceHome]))!;

        Assert.Equal(TestVectors.AliceFingerprint, status.Fingerprint);
        Assert.Equal(IdentityStatus.Published, status.Status[AliceHome]);
        // Pending on the stored key, but the answer says no more than "not published".
        Assert.Equal(IdentityStatus.Unpublished, status.Status[AliceWork]);
        Assert.Equal([AliceHome], partial.Status.Keys);
        Assert.True(VerificationTokens.IsWellFormed(status.Token));
        Assert.Contains(_store.Tokens, t => t.Purpose == TokenPurpose.Upload && t.Hash == VerificationTokens.Hash(status.Token));
    }

    [Fact]
    public async Task RequestVerify_PendingAddressAfterInterval_Mails_ForeignAddressIgnored()
    {
        await UploadAsync("ed25519-eve.asc");
        var service = Service(Settings with { MailInterval = TimeSpan.FromMinutes(10) });
        var status = (await service.IssueUploadStatusAsync(TestVectors.EveFingerprint, [Eve]))!;
        _clock.Advance(TimeSpan.FromMinutes(11));

        var answer = await service.RequestVerifyAsync(status.Token, [Eve, "mallory@example.org", null, "<b>"]);

        Assert.NotNull(answer);
        Assert.Equal(IdentityStatus.Pending, answer.Status[Eve]);
        // Not on the key, not mailed, and still "pending": the answer does not tell them apart.
        Assert.Equal(IdentityStatus.Pending, answer.Status["mallory@example.org"]);
        Assert.Equal(2, _outbox.Mails.Count(m => m.To == Eve));
        Assert.DoesNotContain(_outbox.Mails, m => m.To == "mallory@example.org");
    }

    [Fact]
    public async Task RequestVerify_VerificationTokenOrExpired_Null()
    {
        await UploadAsync("ed25519-eve.asc");
        var service = Service();
        var status = (await service.IssueUploadStatusAsync(TestVectors.EveFingerprint, [Eve]))!;

        Assert.Null(await service.RequestVerifyAsync(TokenFor(Eve), [Eve]));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await service.RequestVerifyAsync(status.Token, [Eve]));
    }

    [Fact]
    public async Task Purge_AfterPurgeAfter_DeletesUnconfirmedKeysAndExpiredTokens_KeepsPublished()
    {
        await UploadAsync("dsa-elg-dave.asc");
        await PublishEveAsync();
        _clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));

        var removed = await Service().PurgeAsync();

        Assert.Null(await _keys.GetAsync(TestVectors.DaveFingerprint));
        Assert.NotNull(await _keys.GetAsync(TestVectors.EveFingerprint));
        Assert.Empty(_store.Tokens);
        Assert.True(removed >= 3);
    }

    [Fact]
    public async Task Purge_BeforePurgeAfter_KeepsPendingKeys()
    {
        await UploadAsync("dsa-elg-dave.asc");
        _clock.Advance(TimeSpan.FromDays(13));

        await Service().PurgeAsync();

        Assert.NotNull(await _keys.GetAsync(TestVectors.DaveFingerprint));
    }

    private async Task PublishEveAsync()
    {
        await UploadAsync("ed25519-eve.asc");
        Assert.Equal(TokenState.Valid, (await Service().ConfirmAsync(TokenFor(Eve))).State);
    }

    /// <summary>Eve's key published and a manage link mailed to her: the start of every manage-token test.</summary>
    private async Task<VerificationService> EveWithManageLinkAsync()
    {
        await PublishEveAsync();
        var service = Service();
        await service.RequestManageLinkAsync(Eve);
        return service;
    }

    [Fact]
    public async Task Budgets_OneClientNetwork_MailsAtMostItsHourlyBudget()
    {
        var service = Service(Settings with { MailsPerClientPerHour = 2 });
        var mailed = new List<string>();
        foreach (var vector in new[] { "rsa-alice.pgp", "ed25519-eve.asc", "dsa-elg-dave.asc" })
        {
            mailed.AddRange(await service.OnUploadAsync(await IngestAsync(TestVectors.Read(vector)), "203.0.113.7"));
        }

        Assert.Equal(2, mailed.Count);
        Assert.Equal(2, _outbox.Mails.Count);
    }

    [Fact]
    public async Task Budgets_SameAddressAgainAfterTheInterval_WaitsForTheNextDay()
    {
        var service = Service(Settings with { MailInterval = TimeSpan.FromMinutes(1), MailsPerAddressPerDay = 1 });
        await UploadAsync("ed25519-eve.asc", service);

        _clock.Advance(TimeSpan.FromMinutes(2));
        await UploadAsync("ed25519-eve.asc", service);
        Assert.Single(_outbox.Mails, m => m.To == Eve);

        _clock.Advance(TimeSpan.FromDays(1));
        await UploadAsync("ed25519-eve.asc", service);
        Assert.Equal(2, _outbox.Mails.Count(m => m.To == Eve));
    }
}
