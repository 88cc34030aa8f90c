using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Web.Components;
using Keyserver.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Web.Tests.Components;

/// <summary>The portal in the real host: SSR form posts, antiforgery, status codes and headers.</summary>
public sealed partial class PortalHostTests : IDisposable
{
    private const string Address = "alice@example.org";
    private readonly KeyserverFactory _factory = KeyserverFactory.With(("Verification:Mode", "Email"));

    public void Dispose() => _factory.Dispose();

    private async Task<TestKey> UploadAsync(string userId = $"Alice Example <{Address}>")
    {
        var key = TestKeys.Create(userId);
        var report = await _factory.Services.GetRequiredService<KeyIngestor>().IngestAsync(key.Binary, new IngestOptions());
        Assert.True(report.AnyAccepted);
        return key;
    }

    private async Task<string> AddTokenAsync(TokenPurpose purpose, string? fingerprint, string address, TimeSpan expiresIn)
    {
        var token = VerificationTokens.Generate();
        var now = DateTimeOffset.UtcNow;
        await _factory.Services.GetRequiredService<IVerificationStore>().AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), purpose, fingerprint, address, now, now + expiresIn, null));
        return token;
    }

    private async Task<(TestKey Key, string Token)> UploadWithVerifyTokenAsync()
    {
        var key = await UploadAsync();
        return (key, await AddTokenAsync(TokenPurpose.Verify, key.Fingerprint, Address, TimeSpan.FromDays(1)));
    }

    private async Task<(TestKey Key, string Token)> UploadPublishedWithManageTokenAsync()
    {
        var key = await UploadAsync();
        await PublishAsync(key.Fingerprint);
        return (key, await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1)));
    }

    private IKeyStore Store => _factory.Services.GetRequiredService<IKeyStore>();

    private Task PublishAsync(string fingerprint) =>
        Store.UpdateAsync(fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));

    private async Task AssertStatesAsync(string fingerprint, IdentityState expected) =>
        Assert.All(await StatesAsync(fingerprint), s => Assert.Equal(expected, s));

    private async Task<IReadOnlyList<IdentityState>> StatesAsync(string fingerprint) =>
        (await Store.GetAsync(fingerprint))!.Identities.Select(i => i.State).ToList();

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path);
        return AntiforgeryField().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery field on {path}");
    }

    [Fact]
    public async Task GetVerify_ShowsFormAndDoesNotPublish()
    {
        var (key, token) = await UploadWithVerifyTokenAsync();
        using var client = _factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var page = await client.GetStringAsync($"/verify/{token}");
            Assert.Contains("Publish your identity?", page);
        }

        await AssertStatesAsync(key.Fingerprint, IdentityState.Pending);
    }

    [Fact]
    public async Task PostVerifyWithoutAntiforgeryToken_Returns400_AndDoesNotPublish()
    {
        var (key, token) = await UploadWithVerifyTokenAsync();
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync($"/verify/{token}", new FormUrlEncodedContent([new("_handler", "publish")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertStatesAsync(key.Fingerprint, IdentityState.Pending);
    }

    [Fact]
    public async Task PostVerifyWithAntiforgeryToken_Publishes_AndKeyPageShowsIt()
    {
        var (key, token) = await UploadWithVerifyTokenAsync();
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, $"/verify/{token}");

        using var response = await client.PostAsync(
            $"/verify/{token}",
            new FormUrlEncodedContent([new("_handler", "publish"), new("__RequestVerificationToken", antiforgery)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Published</h1>", await response.Content.ReadAsStringAsync());
        await AssertStatesAsync(key.Fingerprint, IdentityState.Published);
        Assert.Contains("Alice Example &lt;alice@example.org&gt;", await client.GetStringAsync($"/keys/{key.Fingerprint}"));
        using var again = await client.GetAsync($"/verify/{token}");
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("already used", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownAndExpiredTokens_GetClearPagesWithStatus()
    {
        var key = await UploadAsync();
        var expired = await AddTokenAsync(TokenPurpose.Verify, key.Fingerprint, Address, TimeSpan.FromHours(-1));
        using var client = _factory.CreateClient();

        using var unknown = await client.GetAsync("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        using var old = await client.GetAsync($"/verify/{expired}");
        using var manage = await client.GetAsync("/manage/%3Cscript%3E");

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("This link is not valid", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Contains("This link has expired", await old.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.DoesNotContain("<script>", await manage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ManageUnpublish_WithdrawsIdentity_AndSearchNoLongerFindsIt()
    {
        var (key, token) = await UploadPublishedWithManageTokenAsync();
        using var client = _factory.CreateClient();
        Assert.Contains(key.Fingerprint, await client.GetStringAsync($"/?q={Address}"));
        var antiforgery = await AntiforgeryTokenAsync(client, $"/manage/{token}");

        using var response = await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
        [
            new("_handler", "manage-keys"),
            new("__RequestVerificationToken", antiforgery),
            new("Action", $"unpublish:{key.Fingerprint}:Alice Example <{Address}>"),
        ]));

        Assert.Contains("The identity was withdrawn.", await response.Content.ReadAsStringAsync());
        await AssertStatesAsync(key.Fingerprint, IdentityState.Unpublished);
        Assert.Contains("No published key matches.", await client.GetStringAsync($"/?q={Address}"));
    }

    [Fact]
    public async Task ManageDelete_DeletesTheOwnersKey()
    {
        var (key, token) = await UploadPublishedWithManageTokenAsync();
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, $"/manage/{token}");

        using var response = await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
        [
            new("_handler", "manage-keys"),
            new("__RequestVerificationToken", antiforgery),
            new("Action", $"delete:{key.Fingerprint}"),
        ]));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("The key was deleted.", page);
        Assert.Contains("Nothing is published for this address any more.", page);
        Assert.Null(await Store.GetAsync(key.Fingerprint));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unpublish")]
    [InlineData("delete:0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("unpublish:{0}:Someone Else <bob@example.org>")]
    [InlineData("delete:{0}")]
    [InlineData("explode:{0}")]
    [InlineData("delete:{0}:<script>alert(1)</script>")]
    public async Task ManagePostWithForeignOrMalformedAction_ChangesNothing(string action)
    {
        var key = await UploadAsync();
        var other = await UploadAsync("Bob <bob@example.org>");
        await PublishAsync(key.Fingerprint);
        await PublishAsync(other.Fingerprint);
        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, $"/manage/{token}");

        using var response = await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
        [
            new("_handler", "manage-keys"),
            new("__RequestVerificationToken", antiforgery),
            new("Action", string.Format(System.Globalization.CultureInfo.InvariantCulture, action, other.Fingerprint)),
        ]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Nothing to change", await response.Content.ReadAsStringAsync());
        await AssertStatesAsync(key.Fingerprint, IdentityState.Published);
        await AssertStatesAsync(other.Fingerprint, IdentityState.Published);
    }

    [Fact]
    public async Task ManagePostWithoutAntiforgeryToken_Returns400_AndChangesNothing()
    {
        var (key, token) = await UploadPublishedWithManageTokenAsync();
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
            [new("_handler", "manage-keys"), new("Action", $"delete:{key.Fingerprint}")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await Store.GetAsync(key.Fingerprint));
    }

    [Fact]
    public async Task UploadFile_IsIngested_AndAddressIsMailed()
    {
        var key = TestKeys.Create($"Alice Example <{Address}>");
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, "/upload");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(antiforgery), "__RequestVerificationToken" },
            { new StringContent(""), "Keytext" },
        };
        var file = new ByteArrayContent(key.Binary);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "keyfile", "alice.gpg");

        using var response = await client.PostAsync("/upload", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Added", page);
        Assert.Contains($"<li>{Address}</li>", page);
        await AssertStatesAsync(key.Fingerprint, IdentityState.Pending);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/about")]
    [InlineData("/keys/0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("/site.css")]
    [InlineData("/pks/lookup?op=index&search=nobody%40example.org")]
    public async Task Responses_CarrySecurityHeaders(string path)
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Pages_AreResponsiveAndUseOnlyLocalAssets()
    {
        using var client = _factory.CreateClient();

        var page = await client.GetStringAsync("/");
        var css = await client.GetStringAsync("/site.css");

        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"", page);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", page);
        Assert.Contains("@media (max-width", css);
        Assert.Contains("<main", page);
        Assert.Contains("<nav", page);
    }

    [Fact]
    public async Task UnknownKey_GetsItsOwnPage()
    {
        using var client = _factory.CreateClient();

        var page = await client.GetStringAsync("/keys/0123456789ABCDEF0123456789ABCDEF01234567");

        Assert.Contains("Key not found", page);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
