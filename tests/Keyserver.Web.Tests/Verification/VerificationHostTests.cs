namespace Keyserver.Web.Tests.Verification;

/// <summary>AddVerification inside the real host (Program), on its own data directory.</summary>
public sealed class VerificationHostTests
{
    [Fact]
    public async Task Host_EmailModeWithoutSmtp_UploadMailWrittenToOutboxUnderDataDirectory()
    {
        using var factory = KeyserverFactory.With(("Verification:Mode", "Email"), ("Keyserver:PublicUrl", "https://keys.example.org"));
        var services = factory.Services;
        var key = TestKeys.Create("Nora <nora@example.org>");

        var report = await services.GetRequiredService<KeyIngestor>().IngestAsync(key.Binary, new IngestOptions());
        var mailed = await services.GetRequiredService<VerificationService>().OnUploadAsync(report);

        Assert.Equal(["nora@example.org"], mailed);
        var outbox = Path.Combine(factory.DataDirectory, "outbox");
        var message = await MimeMessage.LoadAsync(Assert.Single(await PickupDirectory.WaitForFilesAsync(outbox)));
        Assert.StartsWith("https://keys.example.org/verify/", MailComposer.LinkOf(message), StringComparison.Ordinal);
    }
}
