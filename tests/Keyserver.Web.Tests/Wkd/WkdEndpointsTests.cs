using Keyserver.Core.Wkd;
using Keyserver.Web.Tests.Vks;

namespace Keyserver.Web.Tests.Wkd;

/// <summary>
/// The Web Key Directory through the real host over HTTP (draft-koch-openpgp-webkey-service-22 §3.1,
/// §4.5, §5), for the configured domains example.org and example.net.
/// </summary>
public sealed class WkdEndpointsTests
{
    private static readonly (string, string?)[] Domains = [("Wkd:Domains:0", "example.org"), ("Wkd:Domains:1", "Example.NET")];

    private static Task<VksHost> StartAsync(params (string, string?)[] settings) => VksHost.StartAsync([.. Domains, .. settings]);

    private static string Local(string address) => address[..address.LastIndexOf('@')];

    private static string Advanced(string address) =>
        $"/.well-known/openpgpkey/{address[(address.LastIndexOf('@') + 1)..]}/hu/{WkdHash.Of(Local(address))}?l={Uri.EscapeDataString(Local(address))}";

    private static Task<HttpResponseMessage> SendAsync(VksHost host, string path, string? hostHeader = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        return host.Client.SendAsync(request);
    }

    private static async Task AssertPlainAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.True(body.Length < 200, body);
    }

    [Fact]
    public async Task Key_AdvancedAndDirectForm_BinaryWithOnlyThatUserId()
    {
        await using var host = await StartAsync();
        var key = TestKeys.Create("Joe Doe <Joe.Doe@example.org>", "Joe Elsewhere <joe@elsewhere.example>");
        await host.Client.UploadAsync(key);

        foreach (var (path, hostHeader) in new[]
                 {
                     (Advanced("Joe.Doe@example.org"), "openpgpkey.example.org"),
                     ($"/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe", "example.org"),
                 })
        {
            using var response = await SendAsync(host, path, hostHeader);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.True(response.Headers.CacheControl?.NoCache);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True((body[0] & 0x80) != 0, "binary OpenPGP, not armor");
            Assert.Equal([key.Fingerprint], TestKeys.Fingerprints(body));
            Assert.Equal(["Joe Doe <Joe.Doe@example.org>"], TestKeys.UserIds(body));
        }

        using var head = await SendAsync(host, Advanced("Joe.Doe@example.org"), "openpgpkey.example.org", HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/octet-stream", head.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Policy_EveryDomainBothForms_Present_SubmissionAddressAbsent()
    {
        await using var host = await StartAsync();

        foreach (var (path, hostHeader) in new[]
                 {
                     ("/.well-known/openpgpkey/example.org/policy", "openpgpkey.example.org"),
                     ("/.well-known/openpgpkey/example.net/policy", "openpgpkey.example.net"),
                     ("/.well-known/openpgpkey/policy", "example.org"),
                     ("/.well-known/openpgpkey/policy", "EXAMPLE.net:443"),
                 })
        {
            using var response = await SendAsync(host, path, hostHeader);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            using var head = await SendAsync(host, path, hostHeader, HttpMethod.Head);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        // No mail-based update protocol here: gpg-wks-client --supported then says so (§4.1).
        await AssertPlainAsync(await SendAsync(host, "/.well-known/openpgpkey/example.org/submission-address"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/.well-known/openpgpkey/example.com/policy", "openpgpkey.example.com", HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/policy", "localhost", HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe", "keys.example.org", HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/", null, HttpStatusCode.BadRequest)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/ybndrfg8ejkmcpqxot1uwisza345h7", null, HttpStatusCode.BadRequest)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/IY9Q119EUTRKN8S1MK4R39QEJNBU3N5Q?l=joe", null, HttpStatusCode.BadRequest)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=a%40b", null, HttpStatusCode.BadRequest)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=a&l=b", null, HttpStatusCode.BadRequest)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=%FF%FE", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/%2e%2e%2f%2e%2e%2fappsettings.json", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/example.org%2Fhu%2Fiy9q119eutrkn8s1mk4r39qejnbu3n5q", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/example.org/", null, HttpStatusCode.NotFound)]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q/x", null, HttpStatusCode.NotFound)]
    public async Task UnknownOrMalformed_ShortPlainText_NeverThePortal(string path, string? hostHeader, HttpStatusCode expected)
    {
        await using var host = await StartAsync();

        await AssertPlainAsync(await SendAsync(host, path, hostHeader), expected);
        using var head = await SendAsync(host, path, hostHeader, HttpMethod.Head);
        Assert.Equal(expected, head.StatusCode);
    }

    [Fact]
    public async Task HugeHostHeader_404()
    {
        await using var host = await StartAsync();
        var huge = string.Concat(Enumerable.Repeat("a.", 4000)) + "example.org";

        await AssertPlainAsync(await SendAsync(host, "/.well-known/openpgpkey/policy", huge), HttpStatusCode.NotFound);
        await AssertPlainAsync(await SendAsync(host, $"/.well-known/openpgpkey/{huge}/policy"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Post_NotAllowed_NoServerError()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.PostAsync("/.well-known/openpgpkey/example.org/policy", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task NoDomainConfigured_Everything404()
    {
        await using var host = await VksHost.StartAsync();

        await AssertPlainAsync(await SendAsync(host, "/.well-known/openpgpkey/example.org/policy"), HttpStatusCode.NotFound);
        await AssertPlainAsync(await SendAsync(host, "/.well-known/openpgpkey/policy", "example.org"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pending_NotServed_UntilConfirmed_ThenUnpublished_Gone()
    {
        await using var host = await StartAsync(("Verification:Mode", "Email"));
        var key = TestKeys.Create("Pia <pia@example.org>");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostFormAsync(ClientEncodings.Gpg(key.Armored))).StatusCode);

        await AssertPlainAsync(await SendAsync(host, Advanced("pia@example.org")), HttpStatusCode.NotFound);

        var store = host.Service<IKeyStore>();
        await store.UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, Advanced("pia@example.org"))).StatusCode);

        await store.UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Unpublished, DateTimeOffset.UtcNow));
        await AssertPlainAsync(await SendAsync(host, Advanced("pia@example.org")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task KeyRevokedWhole_StillServed_WithItsRevocation()
    {
        await using var host = await StartAsync();
        var key = TestKeys.Create("Rex <rex@example.net>");
        await host.Client.UploadAsync(key);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostRawAsync(KeyEdits.Revoke(key))).StatusCode);

        using var response = await SendAsync(host, Advanced("rex@example.net"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(KeyEdits.IsRevoked(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task NonAsciiCapitals_FoundUnderGpgAndSqHash()
    {
        await using var host = await StartAsync();
        var key = TestKeys.Create("Jörg <JÖRG@example.org>");
        await host.Client.UploadAsync(key);

        // gpg lowers ASCII only and sends l=jÖrg; sq lowers with Unicode rules and keeps l=JÖRG.
        foreach (var (hash, local) in new[] { ("w77p6y3jz34qfi4fgwkgaw3oeumka146", "j%C3%96rg"), ("h8ghzysw1a49fnopr45hii67zzgshjt8", "J%C3%96RG") })
        {
            using var response = await SendAsync(host, $"/.well-known/openpgpkey/example.org/hu/{hash}?l={local}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task HashOfAnotherAddress_NotServed()
    {
        await using var host = await StartAsync();
        await host.Client.UploadAsync(TestKeys.Create("Ann <ann@example.org>"));

        // l= names a published address, the hash is someone else's: nothing.
        await AssertPlainAsync(await SendAsync(host, $"/.well-known/openpgpkey/example.org/hu/{WkdHash.Of("bob")}?l=ann"), HttpStatusCode.NotFound);
        // The same address on a domain that is not served.
        await AssertPlainAsync(await SendAsync(host, $"/.well-known/openpgpkey/example.com/hu/{WkdHash.Of("ann")}?l=ann"), HttpStatusCode.NotFound);
    }
}
