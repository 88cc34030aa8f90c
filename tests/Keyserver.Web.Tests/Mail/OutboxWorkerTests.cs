namespace Keyserver.Web.Tests.Mail;

/// <summary>The outbox worker delivering through MailKit to a real SMTP server on 127.0.0.1.</summary>
public sealed class OutboxWorkerTests
{
    private const string Hostile = "Mallory <script>alert(1)</script> & Co <mallory@example.org>";

    [Fact]
    public async Task Upload_WorkerRunning_VerificationMailArrivesWithLinkAndNoTextFromTheKey()
    {
        using var smtp = LoopbackSmtpServer.Start();
        using var kit = new MailTestKit(smtp.Port);
        var key = TestKeys.Create(Hostile);
        using var worker = kit.Worker();
        await worker.StartAsync(CancellationToken.None);

        Assert.Equal(["mallory@example.org"], await kit.UploadAsync(key));
        await smtp.Mailbox.WaitForCountAsync(1);
        await Eventually.TrueAsync(async () => await kit.Outbox.NextDueAsync() is null, "the outbox to drain");
        await worker.StopAsync(CancellationToken.None);

        var message = Assert.Single(smtp.Mailbox.Messages);
        Assert.Equal("mallory@example.org", ((MailboxAddress)Assert.Single(message.To)).Address);
        Assert.Equal("keys@example.org", ((MailboxAddress)Assert.Single(message.From)).Address);
        Assert.Contains("mallory@example.org", message.Subject, StringComparison.Ordinal);
        Assert.Contains(key.Fingerprint, message.Subject, StringComparison.Ordinal);

        var lines = message.TextBody!.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var link = Assert.Single(lines, l => l.StartsWith(MailTestKit.PublicUrl + "/verify/", StringComparison.Ordinal));
        var token = link[(MailTestKit.PublicUrl.Length + "/verify/".Length)..];
        Assert.Equal(43, token.Length);
        Assert.Contains(lines, l => l.Contains(key.Fingerprint, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("script", StringComparison.Ordinal));

        Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
        var html = message.HtmlBody!;
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"href=\"{link}\"", html, StringComparison.Ordinal);

        // The link in the mail is the one that works.
        Assert.Equal(TokenState.Valid, (await kit.Verification.ConfirmAsync(token)).State);
    }

    [Fact]
    public async Task SmtpDownAtEnqueue_WorkerRestarted_MailArrivesAfterServerStartsExactlyOnce()
    {
        var port = LoopbackPort.Free();
        using var kit = new MailTestKit(port);
        await kit.UploadAsync(TestKeys.Create("Dana <dana@example.org>"));

        // First worker: the server is down, so the attempt fails and is rescheduled.
        using (var first = kit.Worker())
        {
            await first.StartAsync(CancellationToken.None);
            await Eventually.TrueAsync(async () => (await kit.Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddHours(1), 10)).Single().Attempts > 0, "a failed attempt");
            await first.StopAsync(CancellationToken.None);
        }

        // Restart: a new worker on the same file, then the server comes up.
        kit.Reopen();
        Assert.Single(await kit.Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddHours(1), 10));
        using var smtp = LoopbackSmtpServer.Start(port);
        using var second = kit.Worker();
        await second.StartAsync(CancellationToken.None);
        await smtp.Mailbox.WaitForCountAsync(1);
        await Eventually.TrueAsync(async () => await kit.Outbox.NextDueAsync() is null, "the outbox to drain");

        // Let the worker run through more retry periods: nothing may be sent twice.
        await second.SendDueAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);
        var message = Assert.Single(smtp.Mailbox.Messages);
        Assert.Equal("dana@example.org", ((MailboxAddress)Assert.Single(message.To)).Address);
    }

    [Fact]
    public async Task SendDue_ThousandUploadsOfOneKey_OneMailDelivered()
    {
        using var smtp = LoopbackSmtpServer.Start();
        using var kit = new MailTestKit(smtp.Port);
        var key = TestKeys.Create("Frank <frank@example.org>");

        for (var i = 0; i < 1000; i++)
        {
            await kit.Verification.OnUploadAsync(await kit.Ingestor.IngestAsync(key.Binary, new Keyserver.Core.Ingest.IngestOptions()));
        }

        using var worker = kit.Worker();
        Assert.Equal(1, await worker.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await worker.SendDueAsync(CancellationToken.None));
        Assert.Single(smtp.Mailbox.Messages);
    }

    [Fact]
    public async Task SendDue_ExpiredLink_DroppedNotSent()
    {
        using var smtp = LoopbackSmtpServer.Start();
        using var kit = new MailTestKit(smtp.Port);
        await kit.Outbox.EnqueueAsync(
            new MailRequest(MailKind.Manage, "old@example.org", null, null, VerificationTokens.Generate(), DateTimeOffset.UtcNow.AddSeconds(-1)),
            DateTimeOffset.UtcNow);

        using var worker = kit.Worker();
        Assert.Equal(0, await worker.SendDueAsync(CancellationToken.None));

        Assert.Null(await kit.Outbox.NextDueAsync());
        Assert.Empty(smtp.Mailbox.Messages);
    }

    [Fact]
    public async Task SendDue_UncomposableMail_DroppedOthersSent()
    {
        using var smtp = LoopbackSmtpServer.Start();
        using var kit = new MailTestKit(smtp.Port);
        var now = DateTimeOffset.UtcNow;
        await kit.Outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "<<<", null, null, VerificationTokens.Generate(), now.AddHours(1)), now);
        await kit.Outbox.EnqueueAsync(new MailRequest(MailKind.Manage, "ok@example.org", null, null, VerificationTokens.Generate(), now.AddHours(1)), now);

        using var worker = kit.Worker();
        Assert.Equal(1, await worker.SendDueAsync(CancellationToken.None));

        Assert.Null(await kit.Outbox.NextDueAsync());
        Assert.Equal("ok@example.org", ((MailboxAddress)Assert.Single(Assert.Single(smtp.Mailbox.Messages).To)).Address);
    }

    [Fact]
    public async Task Logs_AtInformationAndAbove_NeverNameTheRecipient()
    {
        var port = LoopbackPort.Free();
        using var kit = new MailTestKit(port);
        var logger = new ListLogger();
        await kit.UploadAsync(TestKeys.Create("Lena <lena@example.org>"));
        using var worker = kit.Worker(logger);

        await worker.SendDueAsync(CancellationToken.None); // server down: a retry is logged
        await kit.Outbox.RescheduleAsync((await kit.Outbox.TakeDueAsync(DateTimeOffset.UtcNow.AddHours(1), 1))[0].Id, DateTimeOffset.UtcNow);
        using var smtp = LoopbackSmtpServer.Start(port);
        Assert.Equal(1, await worker.SendDueAsync(CancellationToken.None));

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information);
        Assert.All(logger.Entries.Where(e => e.Level >= LogLevel.Information),
            e => Assert.DoesNotContain("lena@example.org", e.Message + e.Exception, StringComparison.OrdinalIgnoreCase));
    }
}
