namespace Interop.Tests.Deploy;

/// <summary>X-Forwarded-For is believed only from the proxies named in Proxy:*, never by default.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("127.0.0.9", null)]
    [InlineData(null, "10.0.0.0/8")]
    public async Task ForwardedFor_FromUntrustedPeer_ChangesNothing(string? knownProxy, string? knownNetwork)
    {
        var env = new Dictionary<string, string> { ["RateLimit__PermitsPerMinute"] = "1" };
        if (knownProxy is not null)
        {
            env["Proxy__KnownProxies__0"] = knownProxy;
        }

        if (knownNetwork is not null)
        {
            env["Proxy__KnownNetworks__0"] = knownNetwork;
        }

        await using var server = await KeyserverProcess.StartAsync(env: env);
        using var http = server.CreateClient();

        // Two "clients" by their claimed address, one real one: the second upload is over the limit.
        using (var first = await UploadAsync(http, "198.51.100.1"))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        }

        using (var second = await UploadAsync(http, "198.51.100.2"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        await NginxTlsTests.LogContainsAsync(server, "POST /pks/add 429");
        Assert.DoesNotContain("from 198.51.100.", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedFor_FromKnownProxy_IsTheClient()
    {
        await using var server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string>
        {
            ["RateLimit__PermitsPerMinute"] = "1",
            ["Proxy__KnownNetworks__0"] = "127.0.0.0/8",
        });
        using var http = server.CreateClient();

        using (var first = await UploadAsync(http, "198.51.100.1"))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        }

        using (var second = await UploadAsync(http, "198.51.100.2"))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        using (var again = await UploadAsync(http, "198.51.100.1"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        }

        await NginxTlsTests.LogContainsAsync(server, "from 198.51.100.2");
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("pks/add", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("keytext", "not a key")]),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request);
    }
}
