namespace Keyserver.Web.Tests.Hkp;

/// <summary>The host around the HKP endpoints: limits, counts, health, static files, start-up checks. One host per test.</summary>
public class HostTests
{
    [Fact]
    public async Task Stats_MachineReadable_IsJsonWithCounts()
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();
        await client.UploadAsync(TestKeys.Create("One <one@example.org>", "One Alias <alias@example.org>"));
        await client.UploadAsync(TestKeys.Create("Two <two@example.org>"));

        using var response = await client.LookupAsync("op=stats&options=mr");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("keys").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("publishedKeys").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("publishedIdentities").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("version").GetString()));
        Assert.True(json.RootElement.GetProperty("uptimeSeconds").GetInt64() >= 0);
    }

    [Fact]
    public async Task Stats_Html_ShowsCounts()
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();
        await client.UploadAsync(TestKeys.Create("Three <three@example.org>"));

        using var response = await client.LookupAsync("op=stats");

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches(@"<dt>Keys</dt>\s*<dd>1</dd>", html);
        Assert.Matches(@"<dt>Published identities</dt>\s*<dd>1</dd>", html);
        Assert.Contains("<header class=\"site\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OverMaxUploadBytes_Is413WithMessage()
    {
        using var factory = KeyserverFactory.With(("Limits:MaxUploadBytes", "300"));
        using var client = factory.CreateClient();
        var key = TestKeys.Create("Big <big@example.org>");
        var body = ClientEncodings.Gpg(key.Armored);
        Assert.True(body.Length > 300);

        using var response = await client.PostFormAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("300", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var lookup = await client.LookupAsync("op=get&search=0x" + key.Fingerprint);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Upload_OverRateLimit_Is429WithShortMessageOnEveryUploadPath()
    {
        using var factory = KeyserverFactory.With(("RateLimit:PermitsPerMinute", "2"));
        using var client = factory.CreateClient();

        using var first = await client.PostFormAsync("keytext=x");
        using var second = await client.PostFormAsync("keytext=x");
        using var third = await client.PostFormAsync("keytext=x");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("text/plain", third.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Too many requests", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The limit is shared by every upload path: the VKS upload gets no fresh allowance.
        using var vks = await client.PostAsync("/vks/v1/upload", new StringContent("{\"keytext\": \"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, vks.StatusCode);

        // Lookups are not limited.
        using var lookup = await client.LookupAsync("op=stats&options=mr");
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    [Fact]
    public async Task Healthz_Is200()
    {
        var (status, _, body) = await GetOnFreshHostAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body);
    }

    [Fact]
    public async Task StaticFile_FromRootWwwroot_IsServed()
    {
        var (status, mediaType, body) = await GetOnFreshHostAsync("/site.css");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/css", mediaType);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "wwwroot", "site.css")), body);
    }

    [Fact]
    public async Task DataDirectory_Missing_IsCreatedWithTheStore()
    {
        using var parent = new TempDirectory();
        var directory = Path.Combine(parent.Path, "nested", "data");
        using var factory = KeyserverFactory.With(("Storage:DataDirectory", directory));
        using var client = factory.CreateClient();

        await client.UploadAsync(TestKeys.Create("Stored <stored@example.org>"));

        Assert.True(File.Exists(Path.Combine(directory, "keyserver.db")));
    }

    [Fact]
    public async Task Upload_EmailMode_KeyIsStoredButNotServed()
    {
        using var factory = KeyserverFactory.With(("Verification:Mode", "Email"));
        using var client = factory.CreateClient();
        var key = TestKeys.Create("Pending <pending@example.org>");

        using var upload = await client.PostFormAsync(ClientEncodings.Gpg(key.Armored));
        using var lookup = await client.LookupAsync("op=get&options=mr&search=0x" + key.Fingerprint);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.StartsWith(key.Fingerprint + " added", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.DoesNotContain("pending@example.org", Encoding.UTF8.GetString(await lookup.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
    }

    /// <summary>One GET on a host of its own; the answer is read before the host stops.</summary>
    private static async Task<(HttpStatusCode Status, string? MediaType, string Body)> GetOnFreshHostAsync(string path)
    {
        using var factory = new KeyserverFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
