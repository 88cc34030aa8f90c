namespace Interop.Tests.Keyserver;

/// <summary>
/// HKP v2 on real server processes with settings of their own: the upload and lookup limits (413,
/// 429) and e-mail consent, which hold on v2 exactly as on legacy HKP and VKS.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class HkpV2SettingsTests
{
    [Fact]
    public async Task LimitsHold_OversizedSubmission413_LookupsOverBudget429()
    {
        await using var server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string>
        {
            ["Limits__MaxUploadBytes"] = "2000",
            ["RateLimit__LookupsPerMinute"] = "2",
        });
        using var http = server.CreateClient();

        using var tooLarge = await http.SubmitV2Async(new byte[4000]);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var lookup = await http.GetAsync(new Uri($"pks/v2/certs/by-identity/nobody{i}@example.org", UriKind.Relative));
            statuses.Add(lookup.StatusCode);
            if (lookup.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(lookup.Headers.Contains("Retry-After"));
                Assert.Equal("*", lookup.Headers.GetValues("Access-Control-Allow-Origin").Single());
            }
        }

        Assert.True(tooLarge.StatusCode == HttpStatusCode.RequestEntityTooLarge, await tooLarge.DescribeAsync());
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task EmailMode_V6SubmittedOverV2_ServedOnlyAfterTheOwnerConfirms()
    {
        await using var site = await MailedKeyserver.StartAsync();
        using var http = site.Server.CreateClient();
        var key = new CraftedEd25519(6);
        var address = HkpV2Tests.Unique("consent");
        var lookup = new Uri($"pks/v2/certs/by-vfingerprint/06/{key.FingerprintHex}", UriKind.Relative);

        using (var submitted = await http.SubmitV2Async(key.Key($"Consent <{address}>")))
        {
            Assert.True(submitted.IsSuccessStatusCode, await submitted.DescribeAsync());
        }

        using (var pending = await http.GetAsync(lookup))
        {
            Assert.Equal(HttpStatusCode.NotFound, pending.StatusCode);
        }

        var verify = MailLinks.Path(await site.Mailbox.WaitForAsync(address), "verify");
        var (_, html) = await site.Portal.GetAsync(verify);
        Assert.Contains("<h1>Published</h1>", (await site.Portal.SubmitAsync(verify, html)).Html, StringComparison.Ordinal);

        using var published = await http.GetAsync(lookup);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        using var index = await http.GetAsync(new Uri($"pks/v2/index/{address}", UriKind.Relative));
        using var json = JsonDocument.Parse(await index.Content.ReadAsStringAsync());
        // Confirmed by mail: complete confidence (draft-gallagher-openpgp-hkp-10 §8).
        Assert.Equal(120, json.RootElement[0].GetProperty("userIDs")[0].GetProperty("confidence").GetInt32());
    }
}
