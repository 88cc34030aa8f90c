namespace Keyserver.Web.Tests.Mail;

public sealed class MailComposerTests
{
    private const string Fingerprint = "7BDE539E2C751CBD602D1F081972B36D34B6686B";
    private static readonly DateTimeOffset Expires = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    private static MailRequest Verify(string userId = "Eve <eve@example.org>") =>
        new(MailKind.Verify, "eve@example.org", Fingerprint, userId, "TOKEN_abc-123", Expires);

    private static List<string> TextLines(MimeMessage message) => message.TextBody!.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    [Fact]
    public void Compose_Verify_SubjectNamesAddressAndFingerprint()
    {
        var message = MailTestKit.Composer().Compose(Verify());

        Assert.Contains("eve@example.org", message.Subject, StringComparison.Ordinal);
        Assert.Contains(Fingerprint, message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Verify_TextShowsFingerprintAddressLinkExpiryAndWhatIfNotYou()
    {
        var lines = TextLines(MailTestKit.Composer().Compose(Verify()));

        // The configured URL ends with a slash; the link must not get two.
        Assert.Contains("https://keys.example.org/verify/TOKEN_abc-123", lines);
        Assert.Contains(lines, l => l.Contains(Fingerprint, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("eve@example.org", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Eve <eve@example.org>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("2026-11-28 09:30 UTC", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("did not ask", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_Manage_ManageLinkOnItsOwnLine()
    {
        var message = MailTestKit.Composer().Compose(new MailRequest(MailKind.Manage, "eve@example.org", null, null, "TOKEN", Expires));

        Assert.Contains("https://keys.example.org/manage/TOKEN", TextLines(message));
        Assert.Contains("eve@example.org", message.Subject, StringComparison.Ordinal);
        Assert.Equal("https://keys.example.org/manage/TOKEN", MailComposer.LinkOf(message));
    }

    [Fact]
    public void Compose_HostileUserId_NoTextFromTheKeyInEitherPart()
    {
        const string hostile = "\"><img src=x onerror=alert(1)>\nhttp://evil.example/verify/STEAL\n <eve@example.org>";

        var message = MailTestKit.Composer().Compose(Verify(hostile));

        Assert.DoesNotContain("<img", message.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("https://keys.example.org/verify/TOKEN_abc-123", MailComposer.LinkOf(message));
    }

    [Fact]
    public async Task PickupDirectory_Send_WritesOneParsableEmlFile()
    {
        using var directory = new TempDirectory();
        var pickup = Path.Combine(directory.Path, "outbox");
        var delivery = new PickupDirectoryDelivery(pickup, logLinks: false, NullLogger<PickupDirectoryDelivery>.Instance);
        var message = MailTestKit.Composer().Compose(Verify());

        await delivery.SendAsync(message, CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(pickup));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var read = await MimeMessage.LoadAsync(file);
        Assert.Equal(message.Subject, read.Subject);
        Assert.Equal("https://keys.example.org/verify/TOKEN_abc-123", MailComposer.LinkOf(read));
    }
}
