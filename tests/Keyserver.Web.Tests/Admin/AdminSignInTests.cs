using Microsoft.AspNetCore.Authentication;

namespace Keyserver.Web.Tests.Admin;

/// <summary>Signing in to the admin console in the real host: mailed links, the session cookie, refusals.</summary>
public sealed partial class AdminSignInTests : IDisposable
{
    private readonly AdminHost _host = new();

    public void Dispose() => _host.Dispose();

    public static TheoryData<string> AdminPages => ["/admin", "/admin/keys", "/admin/keys?q=alice", "/admin/keys/" + new string('A', 40), "/admin/blocks", "/admin/audit", "/admin/signout"];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task GetAdminPage_WithoutSession_RedirectsToSignIn(string path)
    {
        using var client = _host.Client();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/signin", PathOf(response));
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task PostAdminPage_WithoutSession_Forbidden(string path)
    {
        using var client = _host.Client();
        var antiforgery = await FormPages.AntiforgeryTokenAsync(client, "/admin/signin");

        using var response = await client.PostAsync(path, new FormUrlEncodedContent([new("_handler", "mail-queue"), new("__RequestVerificationToken", antiforgery)]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MailedLink_SignsIn_CookieIsHttpOnlyStrictAndDashboardShows()
    {
        using var client = _host.Client();
        await AdminHost.RequestLinkAsync(client, "Admin@Example.org");
        var link = await _host.MailedLinkAsync();
        Assert.Matches("^/admin/signin/[A-Za-z0-9_-]{43}$", link);

        var page = await client.GetStringAsync(link);
        Assert.Contains($"Sign in as {AdminHost.Admin}?", page);
        using var signIn = await AdminHost.UseLinkAsync(client, link);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/admin", PathOf(signIn));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("keyserver-admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var dashboard = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Dashboard</h1>", html);
        Assert.Contains($"Signed in as {AdminHost.Admin}", html);
    }

    [Fact]
    public async Task HttpsPublicUrl_CookieIsSecure()
    {
        using var host = new AdminHost(("Keyserver:PublicUrl", "https://keys.example.org"));
        using var client = host.Client();
        await AdminHost.RequestLinkAsync(client, AdminHost.Admin);

        using var signIn = await AdminHost.UseLinkAsync(client, await host.MailedLinkAsync());

        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("keyserver-admin=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnlistedAddress_SamePage_NoMail()
    {
        using var client = _host.Client();

        var stranger = await AdminHost.RequestLinkAsync(client, "stranger@example.org");
        var malformed = await AdminHost.RequestLinkAsync(client, "<script>@@");
        var admin = await AdminHost.RequestLinkAsync(client, AdminHost.Admin);

        Assert.Equal(WithoutTokens(admin), WithoutTokens(stranger));
        Assert.Equal(WithoutTokens(admin), WithoutTokens(malformed));
        await _host.MailedLinkAsync();
        var mails = Directory.GetFiles(_host.Outbox, "*.eml");
        Assert.Single(mails);
        Assert.Contains($"To: {AdminHost.Admin}", await File.ReadAllTextAsync(mails[0]));
    }

    [Fact]
    public async Task UsedLink_SecondUseFailsWithoutSession()
    {
        using var client = _host.Client();
        await AdminHost.RequestLinkAsync(client, AdminHost.Admin);
        var link = await _host.MailedLinkAsync();
        using var first = await AdminHost.UseLinkAsync(client, link);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        using var other = _host.Client();
        using var page = await other.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("already used", await page.Content.ReadAsStringAsync());
        var antiforgery = await FormPages.AntiforgeryTokenAsync(other, "/admin/signin");
        using var again = await other.PostAsync(link, new FormUrlEncodedContent([new("_handler", "admin-signin-link"), new("__RequestVerificationToken", antiforgery)]));

        Assert.Contains("already used", await again.Content.ReadAsStringAsync());
        Assert.False(again.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("keyserver-admin=", StringComparison.Ordinal)));
        using var dashboard = await other.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-token")]
    [InlineData("%3Cscript%3E")]
    public async Task ForgedLink_NotFound_AndPostSignsNobodyIn(string token)
    {
        using var client = _host.Client();

        using var page = await client.GetAsync($"/admin/signin/{token}");
        var antiforgery = await FormPages.AntiforgeryTokenAsync(client, "/admin/signin");
        using var post = await client.PostAsync($"/admin/signin/{token}", new FormUrlEncodedContent([new("_handler", "admin-signin-link"), new("__RequestVerificationToken", antiforgery)]));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        using var dashboard = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Theory]
    [InlineData(TokenPurpose.AdminSignIn, -1, HttpStatusCode.Gone)]
    [InlineData(TokenPurpose.Manage, 10, HttpStatusCode.NotFound)]
    public async Task ExpiredOrOtherPurposeToken_Fails(TokenPurpose purpose, int minutes, HttpStatusCode expected)
    {
        var token = VerificationTokens.Generate();
        var now = DateTimeOffset.UtcNow;
        await _host.Services.GetRequiredService<IVerificationStore>().AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), purpose, null, AdminHost.Admin, now.AddMinutes(-20), now.AddMinutes(minutes), null));
        using var client = _host.Client();

        using var page = await client.GetAsync($"/admin/signin/{token}");
        var antiforgery = await FormPages.AntiforgeryTokenAsync(client, "/admin/signin");
        using var post = await client.PostAsync($"/admin/signin/{token}", new FormUrlEncodedContent([new("_handler", "admin-signin-link"), new("__RequestVerificationToken", antiforgery)]));

        Assert.Equal(expected, page.StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
    }

    [Fact]
    public async Task UseLink_WithoutAntiforgery_400AndNotSignedIn()
    {
        using var client = _host.Client();
        await AdminHost.RequestLinkAsync(client, AdminHost.Admin);
        var link = await _host.MailedLinkAsync();

        using var post = await client.PostAsync(link, new FormUrlEncodedContent([new("_handler", "admin-signin-link")]));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains($"Sign in as {AdminHost.Admin}?", await client.GetStringAsync(link));
    }

    [Fact]
    public async Task AdminPost_WithSessionButWithoutAntiforgery_400()
    {
        using var client = await _host.SignedInClientAsync();

        using var post = await client.PostAsync("/admin", new FormUrlEncodedContent([new("_handler", "mail-queue"), new("Action", "drop:x")]));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Fact]
    public async Task SignOut_DeletesServerSession_OldCookieNoLongerWorks()
    {
        using var client = await _host.SignedInClientAsync();
        var sessions = _host.Services.GetRequiredService<IAdminSessionStore>();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        var copied = CookieHeader(await client.GetAsync("/admin/signout"));

        using var signOut = await FormPages.PostFormAsync(client, "/admin/signout", "admin-signout");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/admin/signin", PathOf(signOut));
        using var replay = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Add("Cookie", copied);
        using var replayed = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal(0, await sessions.PurgeExpiredAsync(DateTimeOffset.UtcNow.AddDays(30)));
    }

    [Fact]
    public async Task Session_PurgedAfterIdleTimeout_CookieNoLongerWorks()
    {
        var time = _host.Services.GetRequiredService<TimeProvider>();
        using var client = await _host.SignedInClientAsync();
        var sessions = _host.Services.GetRequiredService<IAdminSessionStore>();

        Assert.Equal(1, await sessions.PurgeExpiredAsync(time.GetUtcNow().AddHours(8).AddMinutes(1)));
        using var after = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task OidcNotConfigured_NoSchemeAndNoLink()
    {
        var schemes = _host.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        using var client = _host.Client();

        Assert.Null(await schemes.GetSchemeAsync("AdminOidc"));
        Assert.DoesNotContain("/admin/oidc", await client.GetStringAsync("/admin/signin"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/admin/oidc")).StatusCode);
    }

    [Fact]
    public async Task OidcConfigured_SchemeRegisteredAndSignInPageOffersIt()
    {
        using var host = new AdminHost(
            ("Admin:Oidc:Authority", "https://idp.example.org/realms/staff"),
            ("Admin:Oidc:ClientId", "keyserver"),
            ("Admin:Oidc:ClientSecret", "s3cret"),
            ("Admin:Oidc:AllowedGroups:0", "keyserver-admins"));
        var schemes = host.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        using var client = host.Client();

        var scheme = await schemes.GetSchemeAsync("AdminOidc");

        Assert.NotNull(scheme);
        Assert.Equal("OpenIdConnectHandler", scheme.HandlerType.Name);
        Assert.Contains("/admin/oidc", await client.GetStringAsync("/admin/signin"));
    }

    private static string PathOf(HttpResponseMessage redirect) =>
        new Uri(new Uri("http://localhost"), redirect.Headers.Location!).AbsolutePath;

    private static string CookieHeader(HttpResponseMessage response)
    {
        var request = response.RequestMessage!;
        return request.Headers.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : "";
    }

    private static string WithoutTokens(string page) => HiddenValues().Replace(page, "");

    [GeneratedRegex("value=\"[^\"]*\"")]
    private static partial Regex HiddenValues();
}
