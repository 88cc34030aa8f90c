using System.Net.Http.Json;

namespace Keyserver.Web.Tests.Vks;

/// <summary>The VKS API through an in-memory host (see <see cref="VksHost"/>).</summary>
public sealed class VksEndpointsTests
{
    private static readonly (string, string?) EmailMode = ("Verification:Mode", "Email");

    private static Task<HttpResponseMessage> UploadAsync(VksHost host, string keytext) =>
        host.Client.PostAsJsonAsync("/vks/v1/upload", new { keytext });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string fragment)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await JsonAsync(response)).GetProperty("error").GetString();
        Assert.Contains(fragment, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Upload_NoneMode_PublishedAndFoundByFingerprintKeyIdSubkeyAndEmail()
    {
        await using var host = await VksHost.StartAsync();
        var key = TestKeys.Create("Gina <gina@example.org>");

        var response = await UploadAsync(host, key.Armored);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonAsync(response);
        Assert.Equal(key.Fingerprint, json.GetProperty("key_fpr").GetString());
        Assert.Equal("published", json.GetProperty("status").GetProperty("gina@example.org").GetString());
        Assert.True(VerificationTokens.IsWellFormed(json.GetProperty("token").GetString()));
        foreach (var path in new[]
                 {
                     $"/vks/v1/by-fingerprint/{key.Fingerprint}", $"/vks/v1/by-fingerprint/{key.Fingerprint.ToLowerInvariant()}",
                     $"/vks/v1/by-fingerprint/{key.SubkeyFingerprint}", $"/vks/v1/by-keyid/{key.KeyId}",
                     $"/vks/v1/by-keyid/{key.SubkeyId}", "/vks/v1/by-email/gina%40example.org",
                 })
        {
            var lookup = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
            Assert.Equal("application/pgp-keys", lookup.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", await lookup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Upload_EmailMode_UnpublishedUntilLinkFromPickupMailIsConfirmed()
    {
        await using var host = await VksHost.StartAsync(EmailMode);
        var key = TestKeys.Create("Hana <hana@example.org>");

        var json = await JsonAsync(await UploadAsync(host, key.Armored));

        // The answer says only whether an address is published, never that it waits for confirmation.
        Assert.Equal("unpublished", json.GetProperty("status").GetProperty("hana@example.org").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/vks/v1/by-email/hana@example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/vks/v1/by-fingerprint/{key.Fingerprint}")).StatusCode);

        // No SMTP host is configured: the worker writes the mail into the pickup directory.
        var file = Assert.Single(await PickupDirectory.WaitForFilesAsync(host.PickupDirectory, 1));
        var message = await MimeMessage.LoadAsync(file);
        var link = MailComposer.LinkOf(message)!;
        Assert.StartsWith("https://keys.example.org/verify/", link, StringComparison.Ordinal);
        var result = await host.Service<VerificationService>().ConfirmAsync(link[(link.LastIndexOf('/') + 1)..]);

        Assert.Equal(TokenState.Valid, result.State);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/vks/v1/by-email/hana@example.org")).StatusCode);
    }

    [Fact]
    public async Task Upload_TwoKeys_PlainListOfFingerprints()
    {
        await using var host = await VksHost.StartAsync();
        var first = TestKeys.Create("One <one@example.org>");
        var second = TestKeys.Create("Two <two@example.org>");

        var json = await JsonAsync(await UploadAsync(host, first.Armored + second.Armored));

        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        Assert.Equal(new[] { first.Fingerprint, second.Fingerprint }.Order(StringComparer.Ordinal), json.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ByEmail_AddressOnTwoPublishedKeys_ServesBoth()
    {
        await using var host = await VksHost.StartAsync();
        var first = TestKeys.Create("Lou <lou@example.org>");
        var second = TestKeys.Create("Lou New <lou@example.org>");
        await UploadAsync(host, first.Armored);
        await UploadAsync(host, second.Armored);

        var response = await host.Client.GetAsync("/vks/v1/by-email/lou@example.org");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { first.Fingerprint, second.Fingerprint }.Order(StringComparer.Ordinal), TestKeys.Fingerprints(await response.Content.ReadAsByteArrayAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ByFingerprint_EmailModeAfterConfirm_ServesOnlyConfirmedIdentity()
    {
        await using var host = await VksHost.StartAsync(EmailMode);
        var key = TestKeys.Create("Mia <mia@example.org>", "Mia Work <mia@work.example>");
        await UploadAsync(host, key.Armored);
        var files = await PickupDirectory.WaitForFilesAsync(host.PickupDirectory, 2);
        var messages = await Task.WhenAll(files.Select(f => MimeMessage.LoadAsync(f)));
        var link = MailComposer.LinkOf(messages.Single(m => m.To.Mailboxes.Single().Address == "mia@work.example"))!;
        await host.Service<VerificationService>().ConfirmAsync(link[(link.LastIndexOf('/') + 1)..]);

        var response = await host.Client.GetAsync($"/vks/v1/by-fingerprint/{key.Fingerprint}");

        Assert.Equal(["Mia Work <mia@work.example>"], TestKeys.UserIds(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Upload_Base64BinaryKeytext_Accepted()
    {
        await using var host = await VksHost.StartAsync();
        var key = TestKeys.Create("Ivo <ivo@example.org>");

        var json = await JsonAsync(await UploadAsync(host, Convert.ToBase64String(key.Binary)));

        Assert.Equal(key.Fingerprint, json.GetProperty("key_fpr").GetString());
    }

    [Fact]
    public async Task RequestVerify_UploadToken_SameShape_ForgedToken_400()
    {
        await using var host = await VksHost.StartAsync(EmailMode);
        var key = TestKeys.Create("Jan <jan@example.org>");
        var token = (await JsonAsync(await UploadAsync(host, key.Armored))).GetProperty("token").GetString();

        var response = await host.Client.PostAsJsonAsync("/vks/v1/request-verify", new { token, addresses = new[] { "jan@example.org" } });
        var forged = await host.Client.PostAsJsonAsync("/vks/v1/request-verify", new { token = VerificationTokens.Generate(), addresses = new[] { "jan@example.org" } });

        var json = await JsonAsync(response);
        Assert.Equal(key.Fingerprint, json.GetProperty("key_fpr").GetString());
        Assert.Equal("pending", json.GetProperty("status").GetProperty("jan@example.org").GetString());
        Assert.Equal(token, json.GetProperty("token").GetString());
        await AssertErrorAsync(forged, HttpStatusCode.BadRequest, "expired or unknown");
    }

    [Theory]
    [InlineData("/vks/v1/by-fingerprint/0x7BDE539E2C751CBD602D1F081972B36D34B6686B", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-fingerprint/XYZ", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-fingerprint/7BDE539E2C751CBD602D1F081972B36D34B6686B00", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-keyid/1972B36D34B6686", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-keyid/GGGGGGGGGGGGGGGG", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-keyid/%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-email/not-an-address", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-email/%3Cscript%3E", HttpStatusCode.BadRequest)]
    [InlineData("/vks/v1/by-fingerprint/7BDE539E2C751CBD602D1F081972B36D34B6686B", HttpStatusCode.NotFound)]
    [InlineData("/vks/v1/by-keyid/1972B36D34B6686B", HttpStatusCode.NotFound)]
    [InlineData("/vks/v1/by-email/nobody@example.org", HttpStatusCode.NotFound)]
    public async Task Lookup_MalformedOrUnknown_StatusWithPlainText(string path, HttpStatusCode expected)
    {
        await using var host = await VksHost.StartAsync();

        var response = await host.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("text/plain", "{\"keytext\":\"x\"}", "expected application/json")]
    [InlineData("application/json", "{\"keytext\":", "malformed JSON")]
    [InlineData("application/json", "\u0000\u0001garbage", "malformed JSON")]
    [InlineData("application/json", "[\"keytext\"]", "JSON object")]
    [InlineData("application/json", "{}", "keytext")]
    [InlineData("application/json", "{\"keytext\": 42}", "keytext")]
    [InlineData("application/json", "{\"keytext\": \"hello\"}", "Parsing of key data failed")]
    [InlineData("application/json", "{\"keytext\": \"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\n!!!\\n-----END PGP PUBLIC KEY BLOCK-----\"}", "Parsing of key data failed")]
    public async Task Upload_HostileBody_400JsonError(string contentType, string body, string fragment)
    {
        await using var host = await VksHost.StartAsync();

        var response = await host.Client.PostAsync("/vks/v1/upload", new StringContent(body, Encoding.UTF8, contentType));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task Upload_DeeplyNestedJson_400()
    {
        await using var host = await VksHost.StartAsync();
        var body = new string('[', 10_000) + new string(']', 10_000);

        var response = await host.Client.PostAsync("/vks/v1/upload", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "malformed JSON");
    }

    [Fact]
    public async Task Upload_OverLimit_413JsonError()
    {
        await using var host = await VksHost.StartAsync(("Limits:MaxUploadBytes", "4096"));
        var body = JsonSerializer.Serialize(new { keytext = new string('A', 100_000) });

        var response = await host.Client.PostAsync("/vks/v1/upload", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than 4096 bytes");
    }

    public static TheoryData<string, string> HostileVerifyRequests => new()
    {
        { "{\"addresses\": []}", "token" },
        { "{\"token\": 5, \"addresses\": []}", "token" },
        { "{\"token\": \"x\"}", "addresses" },
        { "{\"token\": \"x\", \"addresses\": [1, 2]}", "addresses" },
        { "{\"token\": \"x\", \"addresses\": \"a@example.org\"}", "addresses" },
        { "{\"token\": \"../../etc\", \"addresses\": [\"a@example.org\"]}", "expired or unknown" },
    };

    [Theory]
    [MemberData(nameof(HostileVerifyRequests))]
    public async Task RequestVerify_HostileBody_400JsonError(string body, string fragment)
    {
        await using var host = await VksHost.StartAsync();

        var response = await host.Client.PostAsync("/vks/v1/request-verify", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task RequestVerify_TooManyAddresses_400()
    {
        await using var host = await VksHost.StartAsync();
        var addresses = Enumerable.Range(0, 101).Select(i => $"a{i}@example.org").ToArray();

        var response = await host.Client.PostAsJsonAsync("/vks/v1/request-verify", new { token = VerificationTokens.Generate(), addresses });

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "too many");
    }

    [Fact]
    public async Task Upload_OverPerClientLimit_429()
    {
        await using var host = await VksHost.StartAsync(("RateLimit:PermitsPerMinute", "2"));
        var key = TestKeys.Create("Kim <kim@example.org>");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await UploadAsync(host, key.Armored)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
