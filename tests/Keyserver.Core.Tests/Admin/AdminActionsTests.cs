namespace Keyserver.Core.Tests.Admin;

public sealed class AdminActionsTests
{
    private const string AliceHome = "alice@example.org";
    private const string AliceWork = "alice@work.example";
    private readonly OperatorKit _kit = new();

    [Fact]
    public async Task BlockFingerprint_DeletesKeyAndRefusesReupload_Audited()
    {
        await _kit.UploadAsync("ed25519-eve.asc");

        var result = await _kit.Actions.BlockAsync(AuditActors.Cli, BlockTarget.Fingerprint(TestVectors.EveFingerprint)!, "abuse");

        Assert.Equal(AdminOutcome.Done, result.Outcome);
        Assert.Null(await _kit.Keys.GetAsync(TestVectors.EveFingerprint));
        var again = Assert.Single((await _kit.UploadAsync("ed25519-eve.asc")).Report.Keys);
        Assert.Equal(KeyOutcomeKind.Rejected, again.Kind);
        Assert.Equal(OperatorPolicy.BlockedReason, again.Reason);
        Assert.Null(await _kit.Keys.GetAsync(TestVectors.EveFingerprint));
        Assert.Collection(
            _kit.Audit.Entries,
            e => Assert.Equal((AuditActors.Cli, AuditActions.Block, TestVectors.EveFingerprint), (e.Actor, e.Action, e.Fingerprint)),
            e => Assert.Equal((AuditActors.Uploader, AuditActions.BlockHit, TestVectors.EveFingerprint), (e.Actor, e.Action, e.Fingerprint)));
    }

    [Fact]
    public async Task BlockFingerprint_BlockedImport_AuditedAsImport()
    {
        await _kit.Actions.BlockAsync(AuditActors.Cli, BlockTarget.Fingerprint(TestVectors.EveFingerprint)!);

        var outcome = Assert.Single((await _kit.UploadAsync("ed25519-eve.asc", SubmissionChannel.Import)).Report.Keys);

        Assert.Equal(OperatorPolicy.BlockedReason, outcome.Reason);
        Assert.Equal(AuditActors.Import, _kit.Audit.Entries[^1].Actor);
    }

    [Fact]
    public async Task DeleteKey_RevokedKey_KeepsRevocationTombstone_PurgeRemovesIt()
    {
        await _kit.UploadAsync("ed25519-eve.asc");
        await _kit.UploadAsync("ed25519-eve-revocation.asc");

        var deleted = await _kit.Actions.DeleteKeyAsync("admin@example.net", TestVectors.EveFingerprint.ToLowerInvariant());

        Assert.Equal(AdminOutcome.Done, deleted.Outcome);
        var tombstone = await _kit.Keys.GetAsync(TestVectors.EveFingerprint);
        Assert.NotNull(tombstone);
        Assert.Empty(tombstone.Identities);
        Assert.NotNull(tombstone.Primary.Revoked);
        Assert.Equal(AdminOutcome.Unchanged, (await _kit.Actions.DeleteKeyAsync("admin@example.net", TestVectors.EveFingerprint)).Outcome);

        Assert.Equal(AdminOutcome.Done, (await _kit.Actions.DeleteKeyAsync("admin@example.net", TestVectors.EveFingerprint, purge: true)).Outcome);
        Assert.Null(await _kit.Keys.GetAsync(TestVectors.EveFingerprint));
        Assert.Equal([AuditActions.Delete, AuditActions.Delete, AuditActions.Purge], _kit.Audit.Entries.Select(e => e.Action));
        Assert.All(_kit.Audit.Entries, e => Assert.Equal("admin@example.net", e.Actor));
    }

    [Fact]
    public async Task DeleteKey_WithBlock_RevocationGoneToo_ReuploadRefused()
    {
        await _kit.UploadAsync("ed25519-eve.asc");
        await _kit.UploadAsync("ed25519-eve-revocation.asc");

        await _kit.Actions.DeleteKeyAsync(AuditActors.Cli, TestVectors.EveFingerprint, block: true);

        Assert.Null(await _kit.Keys.GetAsync(TestVectors.EveFingerprint));
        Assert.Equal(KeyOutcomeKind.Rejected, Assert.Single((await _kit.UploadAsync("ed25519-eve.asc")).Report.Keys).Kind);
        Assert.Equal([AuditActions.Block, AuditActions.Purge, AuditActions.BlockHit], _kit.Audit.Entries.Select(e => e.Action));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("0123")]
    public async Task DeleteKey_NotAFingerprint_Invalid(string text)
    {
        Assert.Equal(AdminOutcome.Invalid, (await _kit.Actions.DeleteKeyAsync(AuditActors.Cli, text)).Outcome);
        Assert.Equal(AdminOutcome.NotFound, (await _kit.Actions.DeleteKeyAsync(AuditActors.Cli, TestVectors.DaveFingerprint)).Outcome);
    }

    [Fact]
    public async Task BlockDomain_UnpublishesPublishedAndPending_ConfirmLinkStopsWorking()
    {
        await _kit.UploadAsync("rsa-alice.pgp");
        await _kit.ConfirmAsync(AliceHome);
        var workToken = _kit.TokenFor(AliceWork);

        var result = await _kit.Actions.BlockAsync(AuditActors.Cli, BlockTarget.Domain("EXAMPLE.org")!);

        Assert.EndsWith("identities on 1 keys unpublished", result.Message, StringComparison.Ordinal);
        Assert.Empty(await _kit.PublishedOnAsync(AliceHome));
        await _kit.Actions.BlockAsync(AuditActors.Cli, BlockTarget.Address(AliceWork)!);
        Assert.Equal(TokenState.Unknown, (await _kit.Verification.ConfirmAsync(workToken)).State);
        Assert.Empty(await _kit.PublishedOnAsync(AliceWork));
        var stored = await _kit.Keys.GetAsync(TestVectors.AliceFingerprint);
        Assert.All(stored!.Identities.Where(i => i.Email is AliceHome or AliceWork), i => Assert.Equal(IdentityState.Unpublished, i.State));
        Assert.Equal((AuditActors.Owner, AuditActions.BlockHit, AliceWork), (_kit.Audit.Entries[^1].Actor, _kit.Audit.Entries[^1].Action, _kit.Audit.Entries[^1].Address));
    }

    [Fact]
    public async Task BlockedAddress_NewUpload_IdentityDroppedAndNeverMailed()
    {
        await _kit.Actions.BlockAsync(AuditActors.Cli, BlockTarget.Domain("example.org")!);

        var result = await _kit.UploadAsync("rsa-alice.pgp");

        Assert.Equal([AliceWork], result.Mailed);
        var key = Assert.Single(result.Report.Keys);
        Assert.Contains("2 identities blocked by the operator", key.Dropped);
        Assert.DoesNotContain(key.Identities, i => i.Email == AliceHome);
        Assert.Equal(2, _kit.Audit.Entries.Count(e => e.Action == AuditActions.BlockHit));
    }

    [Fact]
    public async Task BlockedAddress_EveryIdentity_KeyRejected()
    {
        await _kit.Actions.BlockAsync(AuditActors.Cli, BlockTarget.Address("EVE@example.org")!);

        var key = Assert.Single((await _kit.UploadAsync("ed25519-eve.asc")).Report.Keys);

        Assert.Equal(KeyOutcomeKind.Rejected, key.Kind);
        Assert.Equal("every identity is blocked by the operator", key.Reason);
        Assert.Empty(_kit.Outbox.Mails);
    }

    [Fact]
    public async Task Unblock_AllowsReupload_StatesKept()
    {
        var target = BlockTarget.Fingerprint(TestVectors.EveFingerprint)!;
        await _kit.Actions.BlockAsync(AuditActors.Cli, target);

        Assert.Equal(AdminOutcome.Done, (await _kit.Actions.UnblockAsync(AuditActors.Cli, target)).Outcome);
        Assert.Equal(AdminOutcome.Unchanged, (await _kit.Actions.UnblockAsync(AuditActors.Cli, target)).Outcome);

        Assert.Equal(KeyOutcomeKind.Added, Assert.Single((await _kit.UploadAsync("ed25519-eve.asc")).Report.Keys).Kind);
    }

    [Fact]
    public async Task Unpublish_ByAddress_OnlyThatIdentity()
    {
        await _kit.UploadAsync("rsa-alice.pgp");
        await _kit.ConfirmAsync(AliceHome);
        await _kit.ConfirmAsync(AliceWork);

        var result = await _kit.Actions.UnpublishAsync("admin@example.net", TestVectors.AliceFingerprint, AliceHome);

        Assert.Equal(AdminOutcome.Done, result.Outcome);
        Assert.Empty(await _kit.PublishedOnAsync(AliceHome));
        Assert.Equal([TestVectors.AliceFingerprint], await _kit.PublishedOnAsync(AliceWork));
        Assert.Equal(AdminOutcome.Unchanged, (await _kit.Actions.UnpublishAsync("admin@example.net", TestVectors.AliceFingerprint, AliceHome)).Outcome);
        Assert.Equal(AdminOutcome.NotFound, (await _kit.Actions.UnpublishAsync("admin@example.net", TestVectors.DaveFingerprint, AliceHome)).Outcome);
    }

    [Fact]
    public async Task Resend_PendingIdentity_QueuesMail_Audited()
    {
        await _kit.UploadAsync("ed25519-eve.asc");

        var result = await _kit.Actions.ResendConfirmationAsync(AuditActors.Cli, TestVectors.EveFingerprint, "eve@example.org");

        Assert.Equal(AdminOutcome.Done, result.Outcome);
        Assert.Equal(2, _kit.Outbox.Mails.Count(m => m.To == "eve@example.org"));
        Assert.Equal(AdminOutcome.NotFound, (await _kit.Actions.ResendConfirmationAsync(AuditActors.Cli, TestVectors.EveFingerprint, "nobody@example.org")).Outcome);
        Assert.Equal(AdminOutcome.Invalid, (await _kit.Actions.ResendConfirmationAsync(AuditActors.Cli, "zz", "eve@example.org")).Outcome);
    }

    [Fact]
    public async Task OwnerActions_Audited_WithoutTokens()
    {
        await _kit.UploadAsync("ed25519-eve.asc");
        var verifyToken = _kit.TokenFor("eve@example.org");
        await _kit.Verification.ConfirmAsync(verifyToken);
        await _kit.Verification.RequestManageLinkAsync("eve@example.org");
        var manageToken = _kit.TokenFor("eve@example.org", MailKind.Manage);

        await _kit.Verification.UnpublishAsync(manageToken, TestVectors.EveFingerprint, "Eve Ed25519 <eve@example.org>");
        await _kit.Verification.ConfirmAsync(verifyToken);

        Assert.Equal([AuditActions.Publish, AuditActions.Unpublish], _kit.Audit.Entries.Select(e => e.Action));
        Assert.All(_kit.Audit.Entries, e => Assert.Equal((AuditActors.Owner, TestVectors.EveFingerprint, "eve@example.org"), (e.Actor, e.Fingerprint, e.Address)));
        var text = string.Join("\n", _kit.Audit.Entries.Select(e => e.ToString()));
        Assert.DoesNotContain(verifyToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(manageToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnerDelete_Audited()
    {
        await _kit.UploadAsync("ed25519-eve.asc");
        await _kit.ConfirmAsync("eve@example.org");
        await _kit.Verification.RequestManageLinkAsync("eve@example.org");

        Assert.Equal(ManageOutcome.Done, await _kit.Verification.DeleteKeyAsync(_kit.TokenFor("eve@example.org", MailKind.Manage), TestVectors.EveFingerprint));

        Assert.Equal((AuditActors.Owner, AuditActions.Delete), (_kit.Audit.Entries[^1].Actor, _kit.Audit.Entries[^1].Action));
    }
}
