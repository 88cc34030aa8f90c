namespace Interop.Tests.Deploy;

/// <summary>
/// The documented deployment: Debian's nginx with the shipped site file terminates TLS and HTTP/2 in
/// front of the real server, gpg talks hkps:// to it, and the rate limit sees the real clients.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class NginxTlsTests
{
    private static readonly IPAddress ClientA = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress ClientB = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task GpgOverHkps_ThroughShippedNginxSite_SendsSearchesReceives_AndRateLimitTellsClientsApart()
    {
        const int permits = 3;
        await using var server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string>
        {
            ["Proxy__KnownProxies__0"] = "127.0.0.1",
            ["RateLimit__PermitsPerMinute"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var nginx = await NginxProxy.StartAsync(server.BaseUri);
        // standard-resolver: dirmngr's own resolver finds no address for a bare IP literal here.
        var keyserver = $"keyserver hkps://{NginxProxy.GpgAddress}:{nginx.Port}\nhkp-cacert {nginx.CaCertificate}\nstandard-resolver\n";

        using var alice = GpgHome.Create();
        using var bob = GpgHome.Create();
        await File.WriteAllTextAsync(Path.Combine(alice.Path, "dirmngr.conf"), keyserver);
        await File.WriteAllTextAsync(Path.Combine(bob.Path, "dirmngr.conf"), keyserver);
        var email = $"proxied-{Guid.NewGuid():N}@example.org";
        var fingerprint = alice.GenerateKey($"Proxied <{email}>");

        var sent = await alice.RunAsync("--send-keys", fingerprint);
        Assert.True(sent.ExitCode == 0, $"{sent}\n{nginx.Log}\n{server}");
        var search = await bob.RunAsync("--with-colons", "--search-keys", email);
        var pub = Assert.Single(search.StandardOutput.Split('\n'), l => l.StartsWith("pub:", StringComparison.Ordinal));
        Assert.Equal(fingerprint, pub.Split(':')[1], ignoreCase: true);
        (await bob.RunAsync("--recv-keys", fingerprint)).EnsureSuccess();
        Assert.Equal([fingerprint], bob.Fingerprints());

        // HTTP/2 through the proxy, with the server's HKP and CORS headers passed through.
        using var a = nginx.CreateClient(ClientA);
        using (var index = await a.IndexAsync(email))
        {
            Assert.Equal(HttpStatusCode.OK, index.StatusCode);
            Assert.Equal(HttpVersion.Version20, index.Version);
            Assert.Equal("1", Assert.Single(index.Headers.GetValues("X-HKP-Results-Count")));
            Assert.Equal("*", Assert.Single(index.Headers.GetValues("Access-Control-Allow-Origin")));
        }

        // The body limit of the site file matches Limits:MaxUploadBytes: nginx refuses more.
        using (var huge = await a.PostAsync(new Uri("pks/add", UriKind.Relative), new ByteArrayContent(new byte[1024 * 1024 + 1])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        // Client A spends its allowance (a forged X-Forwarded-For is overwritten by nginx) ...
        for (var i = 0; i < permits; i++)
        {
            using var upload = await UploadNewKeyAsync(a, forgedForwardedFor: i == 0 ? null : "203.0.113." + i);
            Assert.True(upload.StatusCode == HttpStatusCode.OK, await upload.DescribeAsync());
        }

        using (var refused = await UploadNewKeyAsync(a, forgedForwardedFor: "203.0.113.99"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // ... while client B behind the same proxy still has its own.
        using var b = nginx.CreateClient(ClientB);
        using (var other = await UploadNewKeyAsync(b, forgedForwardedFor: null))
        {
            Assert.True(other.StatusCode == HttpStatusCode.OK, await other.DescribeAsync());
        }

        // Request logs name the real clients, not the proxy (written after the answer: wait for them).
        await LogContainsAsync(server, "from 127.0.0.2");
        await LogContainsAsync(server, "from 127.0.0.3");
    }

    /// <summary>Waits for a line the server logs after answering; the guard is against a hang only.</summary>
    internal static async Task LogContainsAsync(KeyserverProcess server, string text)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"'{text}' never logged:\n{server.Output}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ShippedSite_IsTheOneInOperationsDoc()
    {
        var site = (await File.ReadAllTextAsync(NginxProxy.ShippedSitePath)).ReplaceLineEndings("\n");
        var doc = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "operations.md"))).ReplaceLineEndings("\n");
        Assert.Contains("```nginx\n" + site + "```\n", doc, StringComparison.Ordinal);
        Assert.Contains("client_max_body_size 1m;", site, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> UploadNewKeyAsync(HttpClient http, string? forgedForwardedFor)
    {
        var pair = TestKeys.NewKeyPair();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("pks/add", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>(
                "keytext", TestKeys.Armor(TestKeys.Certificate(pair, $"Limited <limited-{Guid.NewGuid():N}@example.org>").GetEncoded()))]),
        };
        if (forgedForwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forgedForwardedFor);
        }

        return await http.SendAsync(request);
    }
}
