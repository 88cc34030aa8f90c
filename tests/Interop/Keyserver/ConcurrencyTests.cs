namespace Interop.Tests.Keyserver;

/// <summary>Concurrent uploads of one key must merge, not overwrite each other (lost updates).</summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class ConcurrencyTests(KeyserverFixture fixture)
{
    private const int Uploads = 16;

    [Fact]
    public async Task SixteenConcurrentUploads_EachWithAnotherUserId_AllUserIdsServed()
    {
        var primary = TestKeys.NewKeyPair();
        var tag = Guid.NewGuid().ToString("N");
        var baseUserId = $"Base <base-{tag}@example.org>";
        var extra = Enumerable.Range(0, Uploads).Select(i => $"Extra {i} <extra{i}-{tag}@example.org>").ToArray();
        var variants = extra
            .Select(userId => TestKeys.Armor(TestKeys.Certificate(primary, baseUserId, userId).GetEncoded()))
            .ToArray();
        using var http = fixture.Server.CreateClient();

        // All requests are started before any is awaited, so the server sees them at the same time.
        var responses = await Task.WhenAll(variants.Select(armored => http.AddAsync(armored)));

        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.DescribeAsync());
            response.Dispose();
        }

        var fingerprint = TestKeys.Fingerprint(primary.PublicKey);
        using var served = await http.GetKeyAsync(fingerprint);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var key = Assert.Single(TestKeys.ReadPublicKeyRings(await served.Content.ReadAsByteArrayAsync())).GetPublicKey();
        Assert.Equal(
            extra.Append(baseUserId).Order(StringComparer.Ordinal),
            key.GetUserIds().Order(StringComparer.Ordinal),
            StringComparer.Ordinal);
        foreach (var i in new[] { 0, Uploads - 1 })
        {
            using var index = await http.IndexAsync($"extra{i}-{tag}@example.org");
            Assert.True(index.StatusCode == HttpStatusCode.OK, await index.DescribeAsync());
            Assert.Contains(fingerprint, await index.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
