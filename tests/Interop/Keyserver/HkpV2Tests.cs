namespace Interop.Tests.Keyserver;

/// <summary>
/// HKP v2 (<c>/pks/v2/</c>, draft-ietf-openpgp-hkp-01) on the real server process over HTTP: every
/// status code the draft lists, CORS, OPTIONS and HEAD, and v6 keys served here but not by legacy HKP.
/// Each test makes its own keys and address.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class HkpV2Tests(KeyserverFixture fixture) : IDisposable
{
    private readonly HttpClient _http = fixture.Server.CreateClient();

    [Fact]
    public async Task Submit_V4AndV6_JsonAnswerListsBothAsInserted()
    {
        var pair = await V6Pair.SubmitAsync(_http);

        Assert.Equal(HttpStatusCode.OK, pair.Answer.StatusCode);
        Assert.Equal("application/json", pair.Answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", Acao(pair.Answer));
        using var json = JsonDocument.Parse(await pair.Answer.Content.ReadAsStringAsync());
        var inserted = json.RootElement.GetProperty("inserted").EnumerateArray()
            .Select(e => (e.GetProperty("version").GetInt32(), e.GetProperty("fingerprint").GetString())).ToList();
        Assert.Equal([(4, pair.V4.ToLowerInvariant()), (6, pair.V6.ToLowerInvariant())], inserted.Order());
        foreach (var empty in new[] { "updated", "deleted", "ignored", "invalid" })
        {
            Assert.Empty(json.RootElement.GetProperty(empty).EnumerateArray());
        }
    }

    [Fact]
    public async Task Submit_Again_IgnoredThenNewIdentityUpdated()
    {
        var key = new CraftedEd25519(6);
        var address = Unique("again");
        (await SubmitAsync(key.Key($"Again <{address}>"))).Dispose();

        using var same = await SubmitAsync(key.Key($"Again <{address}>"));
        using var more = await SubmitAsync(key.Key($"Again Too <{Unique("again2")}>"));

        // v6 signatures are salted, so signing the same user ID again is new material: updated, not ignored.
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        using var moreJson = JsonDocument.Parse(await more.Content.ReadAsStringAsync());
        Assert.Equal(key.FingerprintHex.ToLowerInvariant(), moreJson.RootElement.GetProperty("updated")[0].GetProperty("fingerprint").GetString());
        using var exact = await SubmitAsync(Encoding.ASCII.GetBytes(V6Certificates.OpenPgpJsVera), "application/pgp-keys");
        using var exactAgain = await SubmitAsync(Encoding.ASCII.GetBytes(V6Certificates.OpenPgpJsVera), "application/pgp-keys");
        using var ignored = JsonDocument.Parse(await exactAgain.Content.ReadAsStringAsync());
        Assert.Equal(V6Certificates.OpenPgpJsVeraFingerprint.ToLowerInvariant(), ignored.RootElement.GetProperty("ignored")[0].GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Submit_Multipart_KeytextPartAccepted()
    {
        var key = new CraftedEd25519(6);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(key.Key($"Multi <{Unique("multi")}>")), "keytext", "key.pgp" } };

        using var response = await _http.PostAsync(new Uri("pks/v2/certs", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(key.FingerprintHex.ToLowerInvariant(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_BadSelfSignature_422WithInvalidEntryAndComment()
    {
        var key = new CraftedEd25519(6);

        using var response = await SubmitAsync(key.Key($"Bad <{Unique("bad")}>", corruptCertification: true));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("*", Acao(response));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var invalid = Assert.Single(json.RootElement.GetProperty("invalid").EnumerateArray());
        Assert.Equal(6, invalid.GetProperty("version").GetInt32());
        Assert.Equal(key.FingerprintHex.ToLowerInvariant(), invalid.GetProperty("fingerprint").GetString());
        Assert.Contains("no valid self-signed user ID", invalid.GetProperty("comment").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedSubmissions))]
    public async Task Submit_MalformedOrWrongType_4xxWithShortText(string contentType, string body, int status)
    {
        using var response = await SubmitAsync(Encoding.Latin1.GetBytes(body), contentType);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", Acao(response));
        var text = await response.Content.ReadAsStringAsync();
        Assert.InRange(text.Length, 2, 300);
    }

    public static TheoryData<string, string, int> MalformedSubmissions => new()
    {
        { "application/pgp", "junk", 422 },
        { "application/pgp", "", 422 },
        { "application/pgp-keys;armor=no", "\u00C6\u0001", 422 },
        { "text/plain", "anything", 415 },
        { "application/x-www-form-urlencoded", "keytext=x", 415 },
        { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n", 422 },
        { "multipart/form-data", "no boundary", 422 },
    };

    [Fact]
    public async Task Submit_SecretKey_422AndNothingStored()
    {
        var secret = Encoding.ASCII.GetBytes("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxUsG\n-----END PGP PRIVATE KEY BLOCK-----\n");

        using var response = await SubmitAsync(secret, "application/pgp-keys");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("secret", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ByIdentity_MatchesV4AndV6_BinaryBundleOfBoth()
    {
        var pair = await V6Pair.SubmitAsync(_http);

        using var bundle = await GetAsync($"pks/v2/certs/by-identity/{Uri.EscapeDataString(pair.Address)}");
        using var rawAt = await GetAsync($"pks/v2/certs/by-identity/{pair.Address}");
        using var v4 = await GetAsync($"pks/v2/certs/by-vfingerprint/04/{pair.V4}");
        using var v6 = await GetAsync($"pks/v2/certs/by-vfingerprint/06/{pair.V6}");

        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("application/pgp", bundle.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", Acao(bundle));
        var bytes = await bundle.Content.ReadAsByteArrayAsync();
        var parts = new[] { await v4.Content.ReadAsByteArrayAsync(), await v6.Content.ReadAsByteArrayAsync() };
        Assert.True(bytes.SequenceEqual(parts[0].Concat(parts[1])) || bytes.SequenceEqual(parts[1].Concat(parts[0])));
        Assert.Equal(bytes, await rawAt.Content.ReadAsByteArrayAsync());
        // Binary, not armor (§7.1): a v6 certificate starts with a new-format public-key packet of version 6.
        Assert.Equal([0xC6], parts[1][..1]);
        Assert.Equal(6, parts[1][2]);
    }

    [Theory]
    [MemberData(nameof(LookupStatusCases))]
    public async Task Lookup_StatusCodeAndCors(string template, int status)
    {
        var pair = await V6Pair.SubmitAsync(_http);

        using var response = await GetAsync(pair.Fill(template));

        Assert.True(status == (int)response.StatusCode, await response.DescribeAsync());
        Assert.Equal("*", Acao(response));
        Assert.Equal(status == 200 ? "application/pgp" : "text/plain", response.Content.Headers.ContentType!.MediaType);
    }

    public static TheoryData<string, int> LookupStatusCases => new()
    {
        { "pks/v2/certs/by-identity/{local}", 404 },
        { "pks/v2/certs/by-identity/example.org", 404 },
        { "pks/v2/index/{local}", 404 },
        { "pks/v2/certs/by-vfingerprint/04/{v4}", 200 },
        { "pks/v2/certs/by-vfingerprint/04/{v4lower}", 200 },
        { "pks/v2/certs/by-vfingerprint/04{v4}", 200 },
        { "pks/v2/certs/by-vfingerprint/06/{v6}", 200 },
        { "pks/v2/certs/by-vfingerprint/06{v6lower}", 200 },
        { "pks/v2/certs/by-vfingerprint/06/{v6subkey}", 200 },
        { "pks/v2/certs/by-vfingerprint/04/{v6prefix40}", 404 },
        { "pks/v2/certs/by-vfingerprint/06/000000000000000000000000{v4}", 404 },
        { "pks/v2/certs/by-vfingerprint/05/{v6}", 404 },
        { "pks/v2/certs/by-vfingerprint/0x04/{v4}", 404 },
        { "pks/v2/certs/by-vfingerprint/04/0x{v4}", 400 },
        { "pks/v2/certs/by-vfingerprint/04/{v4}00", 400 },
        { "pks/v2/certs/by-vfingerprint/04/ZZ{v4short}", 400 },
        { "pks/v2/certs/by-keyid/{v4keyid}", 200 },
        { "pks/v2/certs/by-keyid/{v6keyid}", 404 },
        { "pks/v2/certs/by-keyid/{v6subkeyid}", 404 },
        { "pks/v2/certs/by-keyid/{v6keyidlast}", 404 },
        { "pks/v2/certs/by-keyid/0x{v4keyid}", 400 },
        { "pks/v2/certs/by-keyid/1234", 400 },
        { "pks/v2/certs/by-identity", 403 },
        { "pks/v2/certs/by-vfingerprint", 403 },
        { "pks/v2/certs/by-keyid/", 403 },
        { "pks/v2/index", 403 },
        { "pks/v2/certs/by-nothing/x", 404 },
        { "pks/v2/canonical/{address}", 501 },
        { "pks/v2/prefixlog/2026-12-06", 501 },
        { "pks/v2/nonsense/x", 501 },
        { "pks/v2", 501 },
        { "pks/v2/certs/by-identity/%C3%28", 400 },
        { "pks/v2/certs/by-identity/a%01b%40example.org", 400 },
        { "pks/v2/certs/by-identity/a%0Ab", 400 },
    };

    [Theory]
    [InlineData("/pks/v2/certs/by-identity/%ZZ")]
    [InlineData("/pks/v2/index/a%2")]
    [InlineData("/pks/v2/certs/by-identity/%FF%FE")]
    public async Task Lookup_BrokenPercentEncodingOnTheWire_400(string path)
    {
        var response = await RawHttp.GetAsync(fixture.Server.BaseUri, path);

        Assert.True(response.StatusCode == 400, response.ToString());
        Assert.Contains("Access-Control-Allow-Origin: *", response.Headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Lookup_OversizedIdentityOrPath_4xx()
    {
        using var identity = await GetAsync("pks/v2/certs/by-identity/" + new string('a', 600));
        using var path = await GetAsync("pks/v2/index/" + new string('a', 5000));

        Assert.Equal(HttpStatusCode.BadRequest, identity.StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, path.StatusCode);
    }

    [Fact]
    public async Task Index_JsonArrayOfBothVersions_WithDraftFieldNames()
    {
        var pair = await V6Pair.SubmitAsync(_http);

        using var response = await GetAsync($"pks/v2/index/{pair.Address.ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = json.RootElement.EnumerateArray().OrderBy(e => e.GetProperty("version").GetInt32()).ToList();
        Assert.Equal([4, 6], entries.Select(e => e.GetProperty("version").GetInt32()));
        Assert.Equal([pair.V4.ToLowerInvariant(), pair.V6.ToLowerInvariant()], entries.Select(e => e.GetProperty("fingerprint").GetString()));
        var v6 = entries[1];
        Assert.Equal($"V6 <{pair.Address}>", v6.GetProperty("userIDs")[0].GetProperty("uidString").GetString());
        Assert.Equal(0, v6.GetProperty("userIDs")[0].GetProperty("confidence").GetInt32());
        Assert.Equal("2026-01-01T00:00:00Z", v6.GetProperty("creation").GetString());
        Assert.Equal(27, v6.GetProperty("algorithm").GetProperty("code").GetInt32());
        Assert.False(v6.TryGetProperty("bitLength", out _));
        var subkey = Assert.Single(v6.GetProperty("subkeys").EnumerateArray());
        Assert.Equal(6, subkey.GetProperty("version").GetInt32());
        Assert.Equal(64, subkey.GetProperty("fingerprint").GetString()!.Length);
    }

    [Fact]
    public async Task Head_SameHeadersAsGet_NoBody()
    {
        var pair = await V6Pair.SubmitAsync(_http);
        var uri = new Uri($"pks/v2/certs/by-vfingerprint/06/{pair.V6}", UriKind.Relative);

        using var get = await _http.GetAsync(uri);
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, uri));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal("*", Acao(head));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("pks/v2/certs", 200, "POST")]
    [InlineData("pks/v2/certs/by-identity", 200, "GET")]
    [InlineData("pks/v2/certs/by-vfingerprint", 200, "GET")]
    [InlineData("pks/v2/certs/by-keyid", 200, "HEAD")]
    [InlineData("pks/v2/index", 200, "GET")]
    [InlineData("pks/v2/canonical", 501, null)]
    [InlineData("pks/v2/sendtoken", 501, null)]
    [InlineData("pks/v2/prefixlog", 501, null)]
    [InlineData("pks/v2/unknown", 501, null)]
    public async Task Options_SupportedCategoryListsMethods_Others501(string path, int status, string? method)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative)));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("*", Acao(response));
        if (method is not null)
        {
            Assert.Contains(method, response.Content.Headers.Allow);
        }

        if (method == "POST")
        {
            Assert.True(response.Headers.NonValidated.TryGetValues("Accept", out var accept));
            Assert.Contains("application/pgp", accept.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(OtherMethodCases))]
    public async Task OtherMethods_405WithAllowOr501(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent([1, 2, 3]) };

        using var response = await _http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("*", Acao(response));
        if (status == 405)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }

    public static TheoryData<string, string, int> OtherMethodCases => new()
    {
        { "PUT", "pks/v2/certs", 405 },
        { "DELETE", "pks/v2/certs/by-identity/a@example.org", 405 },
        { "POST", "pks/v2/index/a@example.org", 405 },
        { "POST", "pks/v2/sendtoken", 501 },
        { "PUT", "pks/v2/canonical/a@example.org", 501 },
    };

    [Fact]
    public async Task Legacy_NeverServesV6_CountReflectsWhatIsServed()
    {
        var pair = await V6Pair.SubmitAsync(_http);

        using var get = await _http.GetAsync(new Uri($"pks/lookup?op=get&options=mr&search={Uri.EscapeDataString(pair.Address)}", UriKind.Relative));
        using var index = await _http.IndexAsync(pair.Address);
        using var vindex = await _http.GetAsync(new Uri($"pks/lookup?op=vindex&search={Uri.EscapeDataString(pair.Address)}", UriKind.Relative));
        using var byV6 = await _http.GetKeyAsync(pair.V6);
        using var byV6Subkey = await _http.GetKeyAsync(pair.V6Subkey);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var ring = Assert.Single(TestKeys.ReadPublicKeyRings(await get.Content.ReadAsByteArrayAsync()));
        Assert.Equal(pair.V4, TestKeys.Fingerprint(ring.GetPublicKey()));
        Assert.Equal("1", Assert.Single(get.Headers.GetValues("X-HKP-Results-Count")));
        var lines = (await index.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("info:1:1", lines[0]);
        Assert.Equal([pair.V4], lines.Where(l => l.StartsWith("pub:", StringComparison.Ordinal)).Select(l => l.Split(':')[1]));
        var html = await vindex.Content.ReadAsStringAsync();
        Assert.Contains(pair.V4, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(pair.V6, html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, byV6.StatusCode);
        Assert.Contains("v6", await byV6.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, byV6Subkey.StatusCode);
    }

    [Fact]
    public async Task Vks_ByV6Fingerprint_ServesTheKey()
    {
        var pair = await V6Pair.SubmitAsync(_http);

        using var response = await _http.GetAsync(new Uri($"vks/v1/by-fingerprint/{pair.V6}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("BEGIN PGP PUBLIC KEY BLOCK", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();

    internal static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.org";

    private static string? Acao(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    private Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    private Task<HttpResponseMessage> SubmitAsync(byte[] body, string contentType = "application/pgp") => _http.SubmitV2Async(body, contentType);
}

/// <summary>A fresh v4 and a fresh v6 key sharing one fresh address, both submitted over v2.</summary>
internal sealed record V6Pair(string Address, string V4, string V6, string V6Subkey, HttpResponseMessage Answer)
{
    public static async Task<V6Pair> SubmitAsync(HttpClient http)
    {
        var address = HkpV2Tests.Unique("pair");
        var primary = TestKeys.NewKeyPair();
        var v4 = TestKeys.Certificate(primary, $"V4 <{address}>").GetEncoded();
        var v6 = new CraftedEd25519(6);
        var answer = await http.SubmitV2Async([.. v4, .. v6.Key($"V6 <{address}>")]);
        Assert.True(answer.IsSuccessStatusCode, await answer.DescribeAsync());
        using var index = await http.GetAsync(new Uri($"pks/v2/index/{address}", UriKind.Relative));
        using var json = JsonDocument.Parse(await index.Content.ReadAsStringAsync());
        var subkey = json.RootElement.EnumerateArray().Single(e => e.GetProperty("version").GetInt32() == 6)
            .GetProperty("subkeys")[0].GetProperty("fingerprint").GetString()!.ToUpperInvariant();
        return new V6Pair(address, TestKeys.Fingerprint(primary.PublicKey), v6.FingerprintHex, subkey, answer);
    }

    public string Fill(string template) => template
        .Replace("{local}", Address.Split('@')[0], StringComparison.Ordinal)
        .Replace("{address}", Address, StringComparison.Ordinal)
        .Replace("{v4lower}", V4.ToLowerInvariant(), StringComparison.Ordinal)
        .Replace("{v4short}", V4[2..], StringComparison.Ordinal)
        .Replace("{v4keyid}", V4[^16..], StringComparison.Ordinal)
        .Replace("{v4}", V4, StringComparison.Ordinal)
        .Replace("{v6lower}", V6.ToLowerInvariant(), StringComparison.Ordinal)
        .Replace("{v6subkeyid}", V6Subkey[..16], StringComparison.Ordinal)
        .Replace("{v6subkey}", V6Subkey, StringComparison.Ordinal)
        .Replace("{v6prefix40}", V6[..40], StringComparison.Ordinal)
        .Replace("{v6keyidlast}", V6[^16..], StringComparison.Ordinal)
        .Replace("{v6keyid}", V6[..16], StringComparison.Ordinal)
        .Replace("{v6}", V6, StringComparison.Ordinal);
}

/// <summary>The v2 submission as a test one-liner.</summary>
internal static class HkpV2Http
{
    public static Task<HttpResponseMessage> SubmitV2Async(this HttpClient http, byte[] body, string contentType = "application/pgp")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return http.PostAsync(new Uri("pks/v2/certs", UriKind.Relative), content);
    }
}
