namespace Keyserver.Core.Tests.Admin;

public sealed class UploadPolicyTests
{
    private const string AliceWork = "alice@work.example";

    [Fact]
    public async Task Domains_IdentitiesOutsideDropped_AnswerSaysSo_OnlyInsideMailed()
    {
        var kit = new OperatorKit(new PolicySettings(["work.example"]));

        var result = await kit.UploadAsync("rsa-alice.pgp");

        var key = Assert.Single(result.Report.Keys);
        Assert.Equal(KeyOutcomeKind.Added, key.Kind);
        Assert.Contains("2 identities outside work.example", key.Dropped);
        Assert.Equal([AliceWork], key.Identities.Select(i => i.Email));
        Assert.Equal([AliceWork], result.Mailed);
    }

    [Fact]
    public async Task Domains_KeyWithNoIdentityInside_RejectedWithOneLine()
    {
        var kit = new OperatorKit(new PolicySettings(["example.com", "work.example"]));

        var key = Assert.Single((await kit.UploadAsync("ed25519-eve.asc", SubmissionChannel.Vks)).Report.Keys);

        Assert.Equal(KeyOutcomeKind.Rejected, key.Kind);
        Assert.Equal("no identity in example.com, work.example", key.Reason);
        Assert.Null(await kit.Keys.GetAsync(TestVectors.EveFingerprint));
        Assert.Empty(kit.Outbox.Mails);
    }

    [Fact]
    public async Task Domains_Import_ObeysPolicyToo()
    {
        var kit = new OperatorKit(new PolicySettings(["work.example"]));

        var result = await kit.Submission.SubmitAsync(TestVectors.Read("rsa-alice.pgp"), SubmissionChannel.Import, publishAll: true);

        Assert.Equal([AliceWork], Assert.Single(result.Report.Keys).Identities.Select(i => i.Email));
        Assert.Equal([TestVectors.AliceFingerprint], await kit.PublishedOnAsync(AliceWork));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Domains_Subdomains_OnlyWhenIncluded(bool includeSubdomains, bool accepted)
    {
        var kit = new OperatorKit(new PolicySettings(["example"], includeSubdomains));

        var key = Assert.Single((await kit.UploadAsync("rsa-alice.pgp")).Report.Keys);

        Assert.Equal(accepted, key.Kind != KeyOutcomeKind.Rejected);
    }

    public static TheoryData<string?, bool> DomainMatches => new()
    {
        { "a@example.org", true },
        { "a@EXAMPLE.ORG", true },
        { "a@sub.example.org", false },
        { "a@example.org.evil.example", false },
        { "a@notexample.org", false },
        { null, false },
    };

    [Theory]
    [MemberData(nameof(DomainMatches))]
    public void Allows_ExactDomainOnly(string? address, bool allowed) =>
        Assert.Equal(allowed, new PolicySettings(["example.org"]).Allows(address?.ToLowerInvariant()));

    [Fact]
    public void Allows_NoDomains_EverythingEvenWithoutAddress() => Assert.True(PolicySettings.Open.Allows(null));

    [Fact]
    public async Task MaxKeysPerAddress_NewerConfirmed_AddressMovesFromOlderKey()
    {
        var kit = new OperatorKit(new PolicySettings([], MaxKeysPerAddress: 1));
        var first = Crafted.NewKeyPair();
        var second = Crafted.NewKeyPair();
        var firstKey = Assert.Single((await kit.UploadAsync(Crafted.NewKey(first, "Bob <bob@example.org>"))).Report.Keys).Fingerprint!;
        await kit.ConfirmAsync("bob@example.org");
        kit.Clock.Advance(TimeSpan.FromHours(2));
        var secondKey = Assert.Single((await kit.UploadAsync(Crafted.NewKey(second, "Bob <bob@example.org>"))).Report.Keys).Fingerprint!;

        await kit.ConfirmAsync("bob@example.org");

        Assert.Equal([secondKey], await kit.PublishedOnAsync("bob@example.org"));
        Assert.Equal(IdentityState.Unpublished, Assert.Single((await kit.Keys.GetAsync(firstKey))!.Identities).State);
        var moved = kit.Audit.Entries.Single(e => e.Action == AuditActions.Unpublish);
        Assert.Equal(firstKey, moved.Fingerprint);
        Assert.Contains(secondKey, moved.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxKeysPerAddress_Two_ThirdMovesOnlyTheOldest()
    {
        var kit = new OperatorKit(new PolicySettings([], MaxKeysPerAddress: 2), PublicationMode.None);
        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            kit.Clock.Advance(TimeSpan.FromMinutes(1));
            keys.Add(Assert.Single((await kit.UploadAsync(Crafted.NewKey(Crafted.NewKeyPair(), "Bob <bob@example.org>"))).Report.Keys).Fingerprint!);
        }

        Assert.Equal(keys.Skip(1).Order(), (await kit.PublishedOnAsync("bob@example.org")).Order());
    }

    [Fact]
    public async Task MaxKeysPerAddress_Unset_AllKeysStayPublished()
    {
        var kit = new OperatorKit(mode: PublicationMode.None);
        for (var i = 0; i < 3; i++)
        {
            await kit.UploadAsync(Crafted.NewKey(Crafted.NewKeyPair(), "Bob <bob@example.org>"));
        }

        Assert.Equal(3, (await kit.PublishedOnAsync("bob@example.org")).Count);
    }
}
