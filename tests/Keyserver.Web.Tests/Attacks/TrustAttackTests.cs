using Keyserver.Web.Tests.Vks;

namespace Keyserver.Web.Tests.Attacks;

/// <summary>
/// Attacks on what a keyserver exists for, each performed through the real host (HTTP, LiteDB file,
/// outbox worker writing .eml files) in e-mail verification mode: each must fail.
/// </summary>
public sealed class TrustAttackTests
{
    private static readonly (string, string?)[] EmailMode = [("Verification:Mode", "Email"), ("Mail:RetryInitialDelay", "00:00:01")];

    [Fact]
    public async Task Thief_DeletesRevokedKeyAndUploadsOldCopy_KeyIsStillServedRevoked()
    {
        // No per-key interval, so that the thief's second confirmation mail is not throttled.
        await using var host = await VksHost.StartAsync([.. EmailMode, ("Verification:MailInterval", "00:00:00")]);
        var mail = new PickupMail(host.PickupDirectory);
        var key = TestKeys.Create("Owner <owner@example.org>");

        // The owner publishes, then revokes; HKP serves the revocation.
        await PostAsync(host, key.Binary);
        await ConfirmAsync(host, await mail.LinkToAsync("owner@example.org"));
        await PostAsync(host, KeyEdits.Revoke(key));
        Assert.True(KeyEdits.IsRevoked(await GetAsync(host, key.Fingerprint)));

        // The thief holds the secret key: adds and confirms his own address, then deletes the key through a manage link.
        var stolen = KeyEdits.AddUserId(key, "Thief <thief@evil.example>");
        await PostAsync(host, stolen);
        await ConfirmAsync(host, await mail.LinkToAsync("thief@evil.example"));
        await host.Service<VerificationService>().RequestManageLinkAsync("thief@evil.example");
        var manage = Token(await mail.LinkToAsync("thief@evil.example", "/manage/"));
        Assert.Equal(ManageOutcome.Done, await host.Service<VerificationService>().DeleteKeyAsync(manage, key.Fingerprint));

        // The deleted key is still served, revoked and without identities.
        var tombstone = await GetAsync(host, key.Fingerprint);
        Assert.True(KeyEdits.IsRevoked(tombstone));
        Assert.Empty(TestKeys.UserIds(tombstone));

        // He uploads the pre-revocation copy and confirms his address again: the revocation stays.
        await PostAsync(host, stolen);
        await ConfirmAsync(host, await mail.LinkToAsync("thief@evil.example"));
        var served = await GetAsync(host, key.Fingerprint);
        Assert.True(KeyEdits.IsRevoked(served));
        Assert.Contains("Thief <thief@evil.example>", TestKeys.UserIds(served));
    }

    [Fact]
    public async Task FreshKeyPerUpload_SameVictim_AtMostThreeMailsADay()
    {
        await using var host = await VksHost.StartAsync(EmailMode);

        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await host.Client.PostRawAsync(TestKeys.Create($"Spam {i} <victim@example.org>").Binary);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, answers.Count(a => a.Contains("Verification mail sent to: victim@example.org", StringComparison.Ordinal)));
        await new PickupMail(host.PickupDirectory).WaitForCountAsync(3);
        await Task.Delay(500);
        Assert.Equal(3, Directory.GetFiles(host.PickupDirectory, "*.eml").Length);
    }

    [Fact]
    public async Task UserIdWithLinkAndNewlines_MailCarriesNoTextFromTheKey()
    {
        await using var host = await VksHost.StartAsync(EmailMode);
        var key = TestKeys.Create("x\nhttp://evil.example/verify/STEAL\n\u202Eevil <victim@example.org>");

        await PostAsync(host, key.Binary);

        var message = await new PickupMail(host.PickupDirectory).MessageToAsync("victim@example.org");
        Assert.DoesNotContain("evil", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", message.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("https://keys.example.org/verify/", MailComposer.LinkOf(message), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mallory <javascript:alert(1)//@example.org>", "has no plain e-mail address")]
    [InlineData("bank@example.com <thief@example.org>", "names another address")]
    public async Task UnusableOrDeceptiveAddress_RefusedWithClearLine_NothingMailed(string userId, string line)
    {
        await using var host = await VksHost.StartAsync(EmailMode);

        using var response = await host.Client.PostRawAsync(TestKeys.Create(userId).Binary);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not mailed, can never be published: ", answer, StringComparison.Ordinal);
        Assert.Contains(line, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Verification mail sent", answer, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.False(Directory.Exists(host.PickupDirectory) && Directory.GetFiles(host.PickupDirectory, "*.eml").Length > 0);
    }

    [Fact]
    public async Task VksUpload_OfPublishedView_RevealsNoOtherAddressNorPendingState()
    {
        await using var host = await VksHost.StartAsync(EmailMode);
        var mail = new PickupMail(host.PickupDirectory);
        var key = TestKeys.Create("Pub <pub@example.org>", "Secret <secret@example.org>");
        await PostAsync(host, key.Binary);
        await ConfirmAsync(host, await mail.LinkToAsync("pub@example.org"));
        var publishedView = await GetAsync(host, key.Fingerprint);

        using var response = await host.Client.PostAsync(
            "/vks/v1/upload",
            new StringContent(JsonSerializer.Serialize(new { keytext = Encoding.UTF8.GetString(publishedView) }), Encoding.UTF8, "application/json"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var status = json.RootElement.GetProperty("status");
        Assert.Equal("published", status.GetProperty("pub@example.org").GetString());
        Assert.False(status.TryGetProperty("secret@example.org", out _));
        Assert.Single(status.EnumerateObject());
    }

    [Fact]
    public async Task Stats_CountsPublishedKeysOnly()
    {
        await using var host = await VksHost.StartAsync(EmailMode);
        await PostAsync(host, TestKeys.Create("Pending <pending@example.org>").Binary);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/pks/lookup?op=stats&options=mr"));

        Assert.Equal(0, json.RootElement.GetProperty("keys").GetInt32());
    }

    [Fact]
    public async Task RepeatedUploadsOfLargeValidIdentities_StopAtMaxKeyBytes_KeyStillServed()
    {
        await using var host = await VksHost.StartAsync(("Verification:Mode", "None"), ("Limits:MaxKeyBytes", "8192"));
        var key = TestKeys.Create("Owner <owner@example.org>");
        await PostAsync(host, key.Binary);

        HttpStatusCode last = HttpStatusCode.OK;
        string answer = "";
        for (var i = 0; i < 10 && last == HttpStatusCode.OK; i++)
        {
            using var response = await host.Client.PostRawAsync(KeyEdits.AddUserId(key, $"Filler {i} {new string('x', 1500)} <f{i}@example.org>"));
            last = response.StatusCode;
            answer = await response.Content.ReadAsStringAsync();
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, last);
        Assert.Contains("after merging (limit MaxKeyBytes = 8192)", answer, StringComparison.Ordinal);
        using var armored = Org.BouncyCastle.Bcpg.OpenPgp.PgpUtilities.GetDecoderStream(new MemoryStream(await GetAsync(host, key.Fingerprint)));
        Assert.InRange(new Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing(armored).GetEncoded().Length, 1, 8192);
    }

    [Fact]
    public async Task RacingUploadsOfNewIdentities_NeverPassMaxUserIds()
    {
        await using var host = await VksHost.StartAsync(("Verification:Mode", "None"), ("Limits:MaxUserIds", "5"));
        var key = TestKeys.Create("Owner <owner@example.org>");
        await PostAsync(host, key.Binary);

        var uploads = Enumerable.Range(0, 20).Select(i => KeyEdits.AddUserId(key, $"Racer {i} <r{i}@example.org>")).ToList();
        var statuses = await Task.WhenAll(uploads.Select(async u =>
        {
            using var response = await host.Client.PostRawAsync(u);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, s.ToString()));
        Assert.Equal(5, TestKeys.UserIds(await GetAsync(host, key.Fingerprint)).Count);
    }

    [Fact]
    public async Task SelfSignatureWithUnknownCriticalNotation_IsNotValid()
    {
        await using var host = await VksHost.StartAsync(("Verification:Mode", "None"));
        var key = TestKeys.Create("Owner <owner@example.org>");
        await PostAsync(host, key.Binary);

        using var response = await host.Client.PostRawAsync(KeyEdits.AddUserId(key, "Critical <critical@example.org>", criticalNotation: true));

        Assert.Contains("no valid self-signature", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Critical <critical@example.org>", TestKeys.UserIds(await GetAsync(host, key.Fingerprint)));
    }

    private static async Task PostAsync(VksHost host, byte[] key)
    {
        using var response = await host.Client.PostRawAsync(key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<byte[]> GetAsync(VksHost host, string fingerprint)
    {
        using var response = await host.Client.LookupAsync($"op=get&search=0x{fingerprint}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task ConfirmAsync(VksHost host, string link) =>
        Assert.Equal(TokenState.Valid, (await host.Service<VerificationService>().ConfirmAsync(Token(link))).State);

    private static string Token(string link) => link[(link.LastIndexOf('/') + 1)..];
}

/// <summary>Reads the .eml files the host's outbox writes, each message once.</summary>
internal sealed class PickupMail(string directory)
{
    private readonly HashSet<string> _read = [];

    public async Task<MimeMessage> MessageToAsync(string address, string path = "/verify/")
    {
        // A deadline against hangs, not a performance threshold.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.eml") : [];
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                if (_read.Contains(file))
                {
                    continue;
                }

                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Single().Address == address && MailComposer.LinkOf(message)?.Contains(path, StringComparison.Ordinal) == true)
                {
                    _read.Add(file);
                    return message;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no mail to {address} was written");
            await Task.Delay(50);
        }
    }

    public async Task<string> LinkToAsync(string address, string path = "/verify/") =>
        MailComposer.LinkOf(await MessageToAsync(address, path))!;

    public async Task WaitForCountAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Directory.Exists(directory) || Directory.GetFiles(directory, "*.eml").Length < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} mails were written");
            await Task.Delay(50);
        }
    }
}
