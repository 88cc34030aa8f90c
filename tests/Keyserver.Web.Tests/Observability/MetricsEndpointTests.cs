namespace Keyserver.Web.Tests.Observability;

/// <summary>/metrics on the main listener (no Metrics:Urls) in the real host, and its absence when disabled.</summary>
/// <remarks>
/// Runs alone: the exporter listens to every meter named "Keyserver" in the process, so hosts of
/// tests running beside it would add to the exact counts asserted here.
/// </remarks>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_AfterUploadsLookupsAndMail_CountEachKind()
    {
        using var factory = KeyserverFactory.With(("Verification:Mode", "Email"), ("Keyserver:PublicUrl", "https://keys.example.org"));
        using var client = factory.CreateClient();
        var key = TestKeys.Create("Counted <counted@example.org>");

        await client.UploadAsync(key);
        using (var junk = await client.PostFormAsync("keytext=" + HkpRequests.Escape(TestKey.Armor([0x99, 0x01]))))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, junk.StatusCode);
        }

        // Twice: the second read of the same term is a cache hit.
        for (var i = 0; i < 2; i++)
        {
            (await client.LookupAsync("op=get&search=0x" + key.Fingerprint)).Dispose();
        }

        // The verification mail is queued with the upload and then written to the pickup folder.
        var text = await WaitForAsync(client, "keyserver_mail_total{otel_scope_name=\"Keyserver\",event=\"sent\"} 1");

        Assert.Contains("keyserver_uploads_total{otel_scope_name=\"Keyserver\",outcome=\"added\",reason=\"\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("keyserver_uploads_total{otel_scope_name=\"Keyserver\",outcome=\"rejected\",reason=\"malformed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("keyserver_mail_total{otel_scope_name=\"Keyserver\",event=\"queued\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("keyserver_http_request_duration_seconds_count{otel_scope_name=\"Keyserver\",endpoint=\"hkp_add\",status_class=\"2xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("keyserver_http_request_duration_seconds_count{otel_scope_name=\"Keyserver\",endpoint=\"hkp_add\",status_class=\"4xx\"} 1", text, StringComparison.Ordinal);
        Assert.Matches("keyserver_lookup_cache_requests_total\\{otel_scope_name=\"Keyserver\",result=\"hit\"\\} [1-9]", text);
        Assert.Contains("keyserver_keys_stored{otel_scope_name=\"Keyserver\"} 1", text, StringComparison.Ordinal);
        // E-mail verification: nothing is published until the owner confirms.
        Assert.Contains("keyserver_keys_published{otel_scope_name=\"Keyserver\"} 0", text, StringComparison.Ordinal);
        // Every state has its series, read from the counts the store keeps: one identity, pending.
        Assert.Contains("keyserver_identities{otel_scope_name=\"Keyserver\",state=\"pending\"} 1", text, StringComparison.Ordinal);
        foreach (var state in new[] { "published", "unpublished", "revoked" })
        {
            Assert.Contains($"keyserver_identities{{otel_scope_name=\"Keyserver\",state=\"{state}\"}} 0", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("counted@", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitRejection_IsCounted()
    {
        using var factory = KeyserverFactory.With(("RateLimit:PermitsPerMinute", "1"));
        using var client = factory.CreateClient();
        (await client.PostFormAsync("keytext=x")).Dispose();
        using (var refused = await client.PostFormAsync("keytext=x"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("keyserver_rate_limit_rejections_total{otel_scope_name=\"Keyserver\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsDisabled_NotServed()
    {
        using var factory = KeyserverFactory.With(("Metrics:Enabled", "false"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("keyserver_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Scrapes until <paramref name="expected"/> appears (the mail worker runs in the background); the guard is against a hang.</summary>
    private static async Task<string> WaitForAsync(HttpClient client, string expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (text.Contains(expected, StringComparison.Ordinal))
            {
                return text;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"'{expected}' never appeared in:\n{text}");
            await Task.Delay(100);
        }
    }
}

/// <summary>Tests whose exact metric counts must not see other hosts in the same test process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
