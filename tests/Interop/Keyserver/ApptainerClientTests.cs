namespace Interop.Tests.Keyserver;

/// <summary>apptainer's key push/search/pull requests (spec/hkp.md §9) against the real server.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class ApptainerClientTests(KeyserverFixture fixture) : IDisposable
{
    private readonly ApptainerClient _client = new(fixture.Server.BaseUri);

    [Fact]
    public void PushBody_GoArmor_IsEncodedAsRecordedOnTheWire()
    {
        var (_, ring) = NewKey("Encoding Check");

        var armored = ApptainerClient.GoArmor(ring);
        var body = ApptainerClient.PushBody(armored);

        // The recorded push: new-format packets, "+" for spaces, "%0A" newlines, no trailing newline.
        Assert.StartsWith("keytext=-----BEGIN+PGP+PUBLIC+KEY+BLOCK-----%0A%0Ax", body, StringComparison.Ordinal);
        Assert.EndsWith("%0A-----END+PGP+PUBLIC+KEY+BLOCK-----", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_GoEncodedKey_Succeeds()
    {
        var (email, ring) = NewKey("Push");

        using var response = await _client.PushAsync(ApptainerClient.GoArmor(ring));

        Assert.True(response.IsSuccessStatusCode, await response.DescribeAsync());
        using var pulled = await _client.PullAsync(TestKeys.Fingerprint(ring.GetPublicKey()));
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Contains($"Apptainer Push <{email}>", Assert.Single(TestKeys.ReadPublicKeyRings(await pulled.Content.ReadAsByteArrayAsync()))
            .GetPublicKey().GetUserIds(), StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("fingerprint")]
    [InlineData("lower-case key id")]
    public async Task Search_AsApptainerSendsIt_IndexParsesWithMatchingCount(string form)
    {
        var (email, ring) = NewKey("Search");
        var fingerprint = TestKeys.Fingerprint(ring.GetPublicKey());
        (await _client.PushAsync(ApptainerClient.GoArmor(ring))).EnsureSuccessStatusCode();
        var term = form switch
        {
            "email" => email,
            "fingerprint" => fingerprint,
            _ => fingerprint[^8..].ToLowerInvariant(),
        };

        using var response = await _client.SearchAsync(term);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.DescribeAsync());
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("info:1:", body, StringComparison.Ordinal);
        var entry = Assert.Single(ApptainerClient.ParseIndex(body));
        Assert.Equal(fingerprint, entry.Fingerprint, ignoreCase: true);
        Assert.Equal("22", entry.Algorithm);
        Assert.Equal($"Apptainer Search <{email}>", Assert.Single(entry.UserIds));
    }

    [Fact]
    public async Task Search_NoMatch_Returns404()
    {
        using var response = await _client.SearchAsync($"nobody-{Guid.NewGuid():N}@example.org");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(8)]
    public async Task Pull_LowerCaseHex_ReturnsExactlyOneKey(int hexDigits)
    {
        var (_, ring) = NewKey("Pull");
        var fingerprint = TestKeys.Fingerprint(ring.GetPublicKey());
        (await _client.PushAsync(ApptainerClient.GoArmor(ring))).EnsureSuccessStatusCode();

        using var response = await _client.PullAsync(fingerprint[^hexDigits..]);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.DescribeAsync());
        // apptainer fails with "server returned more than one key for unique fingerprint" otherwise.
        var key = Assert.Single(TestKeys.ReadPublicKeyRings(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(fingerprint, TestKeys.Fingerprint(key.GetPublicKey()));
    }

    [Fact]
    public async Task Pull_UnknownFingerprint_Returns404()
    {
        using var response = await _client.PullAsync(Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "01234567");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose() => _client.Dispose();

    private static (string Email, Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing Ring) NewKey(string name)
    {
        var email = $"apptainer-{Guid.NewGuid():N}@example.org";
        return (email, TestKeys.Certificate(TestKeys.NewKeyPair(), $"Apptainer {name} <{email}>"));
    }
}
