namespace Interop.Tests.Verification;

/// <summary>
/// The durable outbox of the real server process against a real SMTP server on loopback: outages,
/// restarts, and floods of uploads naming one address.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class MailDeliveryTests
{
    // Retries every second or two instead of 30 s, so a recovered SMTP server is noticed soon.
    private static Dictionary<string, string> FastRetry(int smtpPort)
    {
        var env = MailLinks.ServerEnvironment(smtpPort);
        env["Mail__RetryInitialDelay"] = "00:00:01";
        env["Mail__RetryMaxDelay"] = "00:00:02";
        return env;
    }

    private static async Task UploadAsync(KeyserverProcess server, string armored, string address)
    {
        using var client = server.CreateClient();
        using var response = await client.AddAsync(armored);
        var answer = await response.DescribeAsync();
        Assert.True(response.IsSuccessStatusCode, answer);
        Assert.Contains($"Verification mail sent to: {address}", answer);
    }

    /// <summary>
    /// Sends a mail to a fresh address and waits for it. The outbox sends in queue order, so everything
    /// queued before has had its turn once this arrives: a bounded way to say "no more mail is coming".
    /// </summary>
    private static async Task FlushAsync(KeyserverProcess server, Mailbox mailbox)
    {
        var sentinel = $"sentinel-{Guid.NewGuid():N}@example.org";
        await UploadAsync(server, TestKeys.ArmoredCertificate($"Sentinel <{sentinel}>", out _), sentinel);
        await mailbox.WaitForAsync(sentinel);
    }

    [Fact]
    public async Task SmtpDownDuringUpload_MailArrivesAfterItComesBack()
    {
        const string address = "erin.outage@example.org";
        var smtpPort = LoopbackPort.Free();
        await using var server = await KeyserverProcess.StartAsync(env: FastRetry(smtpPort));

        await UploadAsync(server, TestKeys.ArmoredCertificate($"Erin <{address}>", out var fingerprint), address);
        // Let the worker fail at least once against the closed port before the server comes up.
        await WaitForLogAsync(server, "not delivered");
        using var smtp = LoopbackSmtpServer.Start(smtpPort);

        var mail = await smtp.Mailbox.WaitForAsync(address);
        var path = MailLinks.Path(mail, "verify");
        using var portal = new PortalClient(server.BaseUri);
        var (status, html) = await portal.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Publish your identity?", html);
        Assert.Contains("<h1>Published</h1>", (await portal.SubmitAsync(path, html)).Html);
        using var lookup = await portal.Http.GetKeyAsync(fingerprint);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    [Fact]
    public async Task HostRestartedWhileSmtpDown_MailArrivesOnce()
    {
        const string address = "frank.restart@example.org";
        var smtpPort = LoopbackPort.Free();
        var data = KeyserverProcess.CreateTempDirectory("ks-mail-");
        try
        {
            await using (var first = await KeyserverProcess.StartAsync(data, FastRetry(smtpPort)))
            {
                await UploadAsync(first, TestKeys.ArmoredCertificate($"Frank <{address}>", out _), address);
                await WaitForLogAsync(first, "not delivered");
                await first.StopAsync();
            }

            using var smtp = LoopbackSmtpServer.Start(smtpPort);
            await using var second = await KeyserverProcess.StartAsync(data, FastRetry(smtpPort));

            var mail = await smtp.Mailbox.WaitForAsync(address);
            await FlushAsync(second, smtp.Mailbox);

            Assert.Single(smtp.Mailbox.To(address));
            Assert.StartsWith("/verify/", MailLinks.Path(mail, "verify"), StringComparison.Ordinal);
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(data);
        }
    }

    [Fact]
    public async Task ThousandUploadsNamingOneAddress_SendOneMail()
    {
        const string address = "grace.flood@example.org";
        const int uploads = 1000;
        using var smtp = LoopbackSmtpServer.Start();
        var env = MailLinks.ServerEnvironment(smtp.Port);
        env["RateLimit__PermitsPerMinute"] = "100000";
        await using var server = await KeyserverProcess.StartAsync(env: env);
        var armored = TestKeys.ArmoredCertificate($"Grace <{address}>", out _);
        using var client = server.CreateClient();

        var mailedAnswers = 0;
        for (var i = 0; i < uploads; i++)
        {
            using var response = await client.AddAsync(armored);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"upload {i}: {(int)response.StatusCode} {answer}");
            if (answer.Contains($"Verification mail sent to: {address}", StringComparison.Ordinal))
            {
                mailedAnswers++;
            }
        }

        await smtp.Mailbox.WaitForAsync(address);
        await FlushAsync(server, smtp.Mailbox);

        Assert.Equal(1, mailedAnswers);
        Assert.Single(smtp.Mailbox.To(address));
    }

    /// <summary>Waits until the server has logged <paramref name="text"/>.</summary>
    private static Task WaitForLogAsync(KeyserverProcess server, string text) =>
        Eventually.TrueAsync(() => server.Output.Contains(text, StringComparison.Ordinal), $"the server logging \"{text}\".\n{server}");
}
