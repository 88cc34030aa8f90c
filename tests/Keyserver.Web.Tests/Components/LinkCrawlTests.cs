namespace Keyserver.Web.Tests.Components;

/// <summary>Every link the server emits, on every page and in its error messages, leads somewhere.</summary>
public sealed partial class LinkCrawlTests : IDisposable
{
    private const string Address = "alice@example.org";
    private readonly KeyserverFactory _factory = KeyserverFactory.With(("Verification:Mode", "Email"), ("Keyserver:PublicUrl", "http://localhost"));

    public void Dispose() => _factory.Dispose();

    private async Task<string> TokenAsync(TokenPurpose purpose, string? fingerprint)
    {
        var token = VerificationTokens.Generate();
        var now = DateTimeOffset.UtcNow;
        await _factory.Services.GetRequiredService<IVerificationStore>().AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), purpose, fingerprint, Address, now, now + TimeSpan.FromHours(1), null));
        return token;
    }

    [Fact]
    public async Task EveryLinkOnEveryPage_Resolves()
    {
        var published = TestKeys.Create($"Alice Example <{Address}>");
        var pending = TestKeys.Create($"Alice Example <{Address}>", "Alice Without Address");
        var ingestor = _factory.Services.GetRequiredService<KeyIngestor>();
        await ingestor.IngestAsync(published.Binary, new IngestOptions());
        await ingestor.IngestAsync(pending.Binary, new IngestOptions());
        await _factory.Services.GetRequiredService<IKeyStore>().UpdateAsync(
            published.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        using var client = _factory.CreateClient();

        var start = new[]
        {
            "/", "/about", "/about/api", "/upload", "/manage", "/resend", $"/?q={Address}",
            $"/keys/{published.Fingerprint}", $"/verify/{await TokenAsync(TokenPurpose.Verify, pending.Fingerprint)}",
            $"/manage/{await TokenAsync(TokenPurpose.Manage, null)}", "/not-found", "/no/such/page",
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Path, string From)>(start.Select(p => (p, "start")));
        var broken = new List<string>();
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next.Path))
            {
                continue;
            }

            using var response = await client.GetAsync(next.Path);
            var expectMissing = next.From == "start" && next.Path is "/not-found" or "/no/such/page";
            if (!response.IsSuccessStatusCode && !expectMissing)
            {
                broken.Add($"{next.Path} (linked from {next.From}): {(int)response.StatusCode}");
                continue;
            }

            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            var page = await response.Content.ReadAsStringAsync();
            foreach (Match link in Link().Matches(page))
            {
                var target = WebUtility.HtmlDecode(link.Groups[1].Value);
                if (target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                // Absolute links must be ours (the public URL); the portal links nowhere else.
                var uri = new Uri(new Uri("http://localhost" + next.Path), target);
                Assert.True(uri.Host == "localhost", $"{next.Path} links off-site: {target}");
                queue.Enqueue((uri.PathAndQuery, next.Path));
            }
        }

        Assert.Empty(broken);
        Assert.Contains("/about/api", seen);
        Assert.Contains("/site.css", seen);
    }

    [Fact]
    public async Task VksErrorMessageLink_Resolves()
    {
        using var client = _factory.CreateClient();

        using var error = await client.PostAsync("/vks/v1/upload", new StringContent("keytext=x"));
        var message = await error.Content.ReadAsStringAsync();
        var link = UrlInText().Match(message);

        Assert.True(link.Success, message);
        using var target = await client.GetAsync(new Uri(link.Value).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, target.StatusCode);
        Assert.Contains("VKS", await target.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("(?:href|src)=\"([^\"]*)\"")]
    private static partial Regex Link();

    [GeneratedRegex("https?://[^\\s\"]+[^\\s\".]")]
    private static partial Regex UrlInText();
}
