namespace Keyserver.Core.Tests.Verification;

public sealed class VerificationServiceResendTests : VerificationServiceContext
{
    private async Task UploadEveAsync(VerificationService service) =>
        await service.OnUploadAsync(await IngestAsync(TestVectors.Read("ed25519-eve.asc"), Settings.Mode));

    private int MailsTo(string address) => _outbox.Mails.Count(m => m.To == address && m.Kind == MailKind.Verify);

    [Fact]
    public async Task Resend_RightAfterUpload_SendsOnceThenThrottles()
    {
        var service = Service();
        await UploadEveAsync(service);

        await service.ResendVerificationAsync(TestVectors.EveFingerprint, Eve);
        await service.ResendVerificationAsync(TestVectors.EveFingerprint, Eve);

        Assert.Equal(2, MailsTo(Eve));
        var fresh = _outbox.Mails.Last();
        Assert.Equal(TestVectors.EveFingerprint, fresh.Fingerprint);
        Assert.NotEqual(_outbox.Mails[0].Token, fresh.Token);
        Assert.Equal(TokenState.Valid, (await service.LookupAsync(fresh.Token)).State);
    }

    [Fact]
    public async Task Resend_AfterTheMailInterval_SendsAgain()
    {
        var service = Service();
        await UploadEveAsync(service);
        await service.ResendVerificationAsync(TestVectors.EveFingerprint, Eve);

        _clock.Advance(Settings.MailInterval);
        await service.ResendVerificationAsync(TestVectors.EveFingerprint, Eve);

        Assert.Equal(3, MailsTo(Eve));
    }

    [Fact]
    public async Task Resend_LowerCaseFingerprintAndMixedCaseAddress_AreNormalised()
    {
        var service = Service();
        await UploadEveAsync(service);

        await service.ResendVerificationAsync(" " + TestVectors.EveFingerprint.ToLowerInvariant() + " ", "Eve@Example.ORG");

        Assert.Equal(2, MailsTo(Eve));
    }

    [Fact]
    public async Task Resend_PublishedIdentity_SendsNothing()
    {
        var service = Service();
        await UploadEveAsync(service);
        await service.ConfirmAsync(_outbox.Mails[0].Token);

        await service.ResendVerificationAsync(TestVectors.EveFingerprint, Eve);

        Assert.Equal(1, MailsTo(Eve));
    }

    [Theory]
    [InlineData(null, Eve)]
    [InlineData("", Eve)]
    [InlineData("not a fingerprint", Eve)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", Eve)]
    [InlineData("{0}", null)]
    [InlineData("{0}", "")]
    [InlineData("{0}", "bob@example.org")]
    [InlineData("{0}", "Eve <eve@example.org>")]
    [InlineData("{0}", "eve@example.org\r\nBcc: victim@example.org")]
    public async Task Resend_UnknownKeyOrForeignOrMalformedAddress_SendsNothingAndDoesNotThrow(string? fingerprint, string? address)
    {
        var service = Service();
        await UploadEveAsync(service);

        await service.ResendVerificationAsync(fingerprint?.Replace("{0}", TestVectors.EveFingerprint, StringComparison.Ordinal), address);

        Assert.Single(_outbox.Mails);
    }

    [Fact]
    public async Task Resend_NoneMode_SendsNothing()
    {
        var service = Service(Settings with { Mode = PublicationMode.None });
        await new KeyIngestor(_keys, new KeyPolicy(PublicationMode.Email, new KeyLimits()), _clock).IngestAsync(TestVectors.Read("ed25519-eve.asc"), new IngestOptions());

        await service.ResendVerificationAsync(TestVectors.EveFingerprint, Eve);

        Assert.Empty(_outbox.Mails);
    }
}
