namespace Keyserver.Web.Tests.Hkp;

/// <summary>
/// Uploads and lookups against one host per class. Every test generates its own keys with unique
/// names, so no test sees another's data except through counts, which are tested on their own host.
/// </summary>
public sealed class HkpEndpointsTests(KeyserverFactory factory) : IClassFixture<KeyserverFactory>, IDisposable
{
    private readonly HttpClient _client = factory.CreateClient();

    public void Dispose() => _client.Dispose();

    private static string Unique() => "u" + Guid.NewGuid().ToString("N")[..12];

    private static TestKey NewKey(out string name)
    {
        name = Unique();
        return TestKeys.Create($"Test {name} <{name}@example.org>");
    }

    private async Task<byte[]> GetBytesAsync(string query)
    {
        using var response = await _client.LookupAsync(query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task Upload_GpgEncoding_Is200TextWithFingerprintAndOutcome()
    {
        var key = NewKey(out _);

        using var response = await _client.PostFormAsync(ClientEncodings.Gpg(key.Armored));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith(key.Fingerprint + " added", lines[0], StringComparison.Ordinal);
    }

    public static TheoryData<string> Encodings => ["gpg", "sq", "apptainer", "multipart", "binary", "armored-raw"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Upload_EachClientEncoding_KeyIsServedBack(string encoding)
    {
        var key = NewKey(out _);
        HttpContent content = encoding switch
        {
            "gpg" => Form(ClientEncodings.Gpg(key.Armored)),
            "sq" => Form(ClientEncodings.Sq(key.Armored)),
            "apptainer" => Form(ClientEncodings.Apptainer(key.Armored)),
            "multipart" => new MultipartFormDataContent { { new StringContent(key.Armored), "keytext" } },
            "binary" => Raw(key.Binary),
            _ => Raw(Encoding.ASCII.GetBytes(key.Armored)),
        };

        using var response = await _client.PostAsync(new Uri("/pks/add", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(key.Fingerprint + " added", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var served = await GetBytesAsync("op=get&options=mr&search=0x" + key.Fingerprint);
        Assert.Equal([key.Fingerprint], TestKeys.Fingerprints(served));

        static HttpContent Form(string body) => new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded");
        static HttpContent Raw(byte[] body)
        {
            var raw = new ByteArrayContent(body);
            raw.Headers.TryAddWithoutValidation("Content-Type", "application/pgp-keys");
            return raw;
        }
    }

    [Fact]
    public async Task Upload_SameKeyTwice_SecondIsUnchanged()
    {
        var key = NewKey(out _);
        await _client.UploadAsync(key);

        using var response = await _client.PostFormAsync(ClientEncodings.Sq(key.Armored));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(key.Fingerprint + " unchanged\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_TwoKeysInOneBody_OneLineEach()
    {
        var first = NewKey(out _);
        var second = NewKey(out _);

        using var response = await _client.PostFormAsync(ClientEncodings.Gpg(first.Armored + second.Armored));

        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(first.Fingerprint + " added", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(second.Fingerprint + " added", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_EveryIdentifierForm_ReturnsTheKeyWithTrailingNewline()
    {
        var key = NewKey(out var name);
        await _client.UploadAsync(key);
        string[] queries =
        [
            "op=get&options=mr&search=0x" + key.Fingerprint, // gpg, sq
            "exact=on&op=get&search=0x" + key.Fingerprint.ToLowerInvariant(), // apptainer pull
            "op=get&options=mr&search=0x" + key.KeyId,
            "op=get&options=mr&search=0x" + key.ShortKeyId,
            "exact=on&op=get&search=0x" + key.ShortKeyId.ToLowerInvariant(),
            "op=get&options=mr&search=0x" + key.SubkeyId,
            "op=get&options=mr&search=0x" + key.SubkeyFingerprint,
            "op=get&options=mr&search=0x" + key.SubkeyShortId,
            $"op=get&options=mr&search={name}@example.org", // sq by e-mail
            $"op=get&options=mr&search={name}%40example.org&exact=on", // gpg --locate-keys
            $"op=get&options=mr&search=%3C{name}%40example.org%3E",
            $"op=get&search={name}",
        ];

        foreach (var query in queries)
        {
            using var response = await _client.LookupAsync(query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, query);
            Assert.Equal("application/pgp-keys", response.Content.Headers.ContentType!.MediaType);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal((byte)'\n', body[^1]);
            Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", Encoding.ASCII.GetString(body), StringComparison.Ordinal);
            Assert.Equal([key.Fingerprint], TestKeys.Fingerprints(body));
        }
    }

    [Fact]
    public async Task Head_Lookup_AnswersLikeGet()
    {
        var key = NewKey(out _);
        await _client.UploadAsync(key);

        using var found = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/pks/lookup?op=get&options=mr&search=0x" + key.Fingerprint));
        using var missing = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/pks/lookup?op=get&options=mr&search=0x00000000DEADBEEF"));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("application/pgp-keys", found.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Get_SeveralMatches_OneArmorBlockWithAll()
    {
        var word = Unique();
        var first = TestKeys.Create($"First {word} <a-{word}@example.org>");
        var second = TestKeys.Create($"Second {word} <b-{word}@example.org>");
        await _client.UploadAsync(first);
        await _client.UploadAsync(second);

        var body = Encoding.ASCII.GetString(await GetBytesAsync("op=get&options=mr&search=" + word));

        Assert.Equal(1, Regex.Count(body, "BEGIN PGP PUBLIC KEY BLOCK"));
        Assert.EndsWith("-----END PGP PUBLIC KEY BLOCK-----\n", body, StringComparison.Ordinal);
        Assert.Equal(
            new[] { first.Fingerprint, second.Fingerprint }.Order(StringComparer.Ordinal),
            TestKeys.Fingerprints(Encoding.ASCII.GetBytes(body)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("index")]
    [InlineData("vindex")]
    public async Task Index_MachineReadable_IsTheExactFormat(string op)
    {
        var name = Unique();
        var key = TestKeys.Create($"Test {name} <{name}@example.org>", $"Alias:{name} 100% a+b");
        await _client.UploadAsync(key);

        using var response = await _client.LookupAsync($"op={op}&options=mr&fingerprint=on&search={name}%40example.org");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        var created = key.Created.ToUnixTimeSeconds();
        Assert.Equal("info:1:1", lines[0]);
        Assert.Equal($"pub:{key.Fingerprint}:22:256:{created}::", lines[1]);
        Assert.Matches($"^uid:Test%20{name}%20%3C{name}@example.org%3E:[0-9]+::$", lines[2]);
        Assert.Matches($"^uid:Alias%3A{name}%20100%25%20a%2Bb:[0-9]+::$", lines[3]);
        Assert.Equal("", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task Index_GpgSearchByFingerprint_ListsTheKey()
    {
        var key = NewKey(out _);
        await _client.UploadAsync(key);

        using var response = await _client.LookupAsync("op=index&options=mr&fingerprint=on&search=0x" + key.Fingerprint);

        Assert.Contains($"pub:{key.Fingerprint}:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_ApptainerSearchBareLowerHex_ListsTheKey()
    {
        var key = NewKey(out _);
        await _client.UploadAsync(key);

        using var response = await _client.LookupAsync(
            $"fingerprint=on&op=index&options=mr&search={key.ShortKeyId.ToLowerInvariant()}&x-pagesize=256");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"pub:{key.Fingerprint}:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_Paged_FollowsNextPageToken()
    {
        var word = Unique();
        var keys = Enumerable.Range(0, 3).Select(i => TestKeys.Create($"Paged {word} {i} <p{i}-{word}@example.org>")).ToList();
        foreach (var key in keys)
        {
            await _client.UploadAsync(key);
        }

        using var first = await _client.LookupAsync($"op=index&options=mr&search={word}&x-pagesize=2");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.StartsWith("info:1:2\n", firstBody, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(firstBody, "^pub:", RegexOptions.Multiline));
        var token = Assert.Single(first.Headers.GetValues("X-HKP-Next-Page-Token"));

        using var second = await _client.LookupAsync($"op=index&options=mr&search={word}&x-pagesize=2&x-pagetoken={Uri.EscapeDataString(token)}");
        var secondBody = await second.Content.ReadAsStringAsync();
        Assert.StartsWith("info:1:1\n", secondBody, StringComparison.Ordinal);
        Assert.False(second.Headers.Contains("X-HKP-Next-Page-Token"));

        var listed = Regex.Matches(firstBody + secondBody, "^pub:([0-9A-F]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(keys.Select(k => k.Fingerprint).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Index_Html_EncodesHostileUserIds()
    {
        var name = Unique();
        var key = TestKeys.Create($"<script>alert('{name}')</script> <{name}@example.org>");
        await _client.UploadAsync(key);

        using var response = await _client.LookupAsync($"op=index&search={name}%40example.org");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains(string.Join(' ', key.Fingerprint.Chunk(4).Select(c => new string(c))), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vindex_Html_ListsSubkeys()
    {
        var key = NewKey(out var name);
        await _client.UploadAsync(key);

        using var response = await _client.LookupAsync($"op=vindex&search={name}");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(string.Join(' ', key.SubkeyFingerprint.Chunk(4).Select(c => new string(c))), html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("op=get&options=mr&search=0x0000000000000000000000000000000000000000")]
    [InlineData("op=get&options=mr&search=0x00000000DEADBEEF")]
    [InlineData("op=index&options=mr&search=nobody-here%40example.org")]
    [InlineData("op=index&search=zzzznotaword")]
    public async Task Lookup_NoMatch_Is404PlainText(string query)
    {
        using var response = await _client.LookupAsync(query);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("op=get", HttpStatusCode.BadRequest)]
    [InlineData("search=alice", HttpStatusCode.BadRequest)]
    [InlineData("op=get&search=0x123", HttpStatusCode.BadRequest)]
    [InlineData("op=get&search=0x0123456789ABCDEF0123456789ABCDEF", HttpStatusCode.BadRequest)]
    [InlineData("op=get&search=0xZZZZZZZZ", HttpStatusCode.BadRequest)]
    [InlineData("op=index&options=mr&search=%FF%FE", HttpStatusCode.BadRequest)]
    [InlineData("op=index&x-pagesize=-1&search=abc", HttpStatusCode.BadRequest)]
    [InlineData("op=index&x-pagetoken=forged&search=abc", HttpStatusCode.BadRequest)]
    [InlineData("op=hget&search=0x0123", HttpStatusCode.NotImplemented)]
    [InlineData("op=x-delete&search=abc", HttpStatusCode.NotImplemented)]
    public async Task Lookup_BadRequest_IsPlainText4xxOr501(string query, HttpStatusCode expected)
    {
        using var response = await _client.LookupAsync(query);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Lookup_MachineReadableErrors_NeverStartWithHtml()
    {
        using var response = await _client.LookupAsync("op=index&options=mr&search=0x12");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEqual('<', (await response.Content.ReadAsStringAsync())[0]);
    }

    [Fact]
    public async Task Lookup_Found_HasCorsHeader()
    {
        var key = NewKey(out _);
        await _client.UploadAsync(key);

        using var response = await _client.LookupAsync("op=get&options=mr&search=0x" + key.Fingerprint);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Http10Requests_AsGpgSendsThem_Work()
    {
        var key = NewKey(out _);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/pks/add")
        {
            Version = HttpVersion.Version10,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(ClientEncodings.Gpg(key.Armored), Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        upload.Headers.Pragma.ParseAdd("no-cache");
        upload.Headers.CacheControl = new() { NoCache = true };
        using var uploaded = await _client.SendAsync(upload);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/pks/lookup?op=get&options=mr&search=0x" + key.KeyId)
        {
            Version = HttpVersion.Version10,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var fetched = await _client.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal([key.Fingerprint], TestKeys.Fingerprints(await fetched.Content.ReadAsByteArrayAsync()));
    }

    public static TheoryData<string, string, byte[]> HostileUploads()
    {
        var victim = TestKeys.Create("Hostile <hostile@example.org>");
        var armored = victim.Armored;
        var truncated = armored[..(armored.Length / 2)];
        var badChecksum = Regex.Replace(armored, "\n=(....)\n", m => "\n=" + (m.Groups[1].Value == "AAAA" ? "BBBB" : "AAAA") + "\n");
        var form = "application/x-www-form-urlencoded";
        return new TheoryData<string, string, byte[]>
        {
            { "garbage", form, Encoding.ASCII.GetBytes("keytext=" + Uri.EscapeDataString("hello, this is not a key")) },
            { "truncated armor", form, Encoding.ASCII.GetBytes(ClientEncodings.Gpg(truncated)) },
            { "bad armor checksum", form, Encoding.ASCII.GetBytes(ClientEncodings.Gpg(badChecksum)) },
            { "secret key", form, Encoding.ASCII.GetBytes(ClientEncodings.Gpg(victim.SecretArmored)) },
            { "binary garbage", "application/pgp-keys", [0xFF, 0x00, 0x12, 0x99, 0x01, 0x02, 0x03] },
            { "truncated primary key", "application/pgp-keys", victim.Binary[..20] },
            { "wrong form field", form, Encoding.ASCII.GetBytes("key=" + Uri.EscapeDataString(armored)) },
            { "empty keytext", form, Encoding.ASCII.GetBytes("keytext=") },
            { "empty body", form, [] },
            { "unsupported type", "text/xml", Encoding.ASCII.GetBytes("<key/>") },
            { "broken multipart", "multipart/form-data; boundary=x", Encoding.ASCII.GetBytes("--x\r\nbroken") },
            { "oversize", form, Encoding.ASCII.GetBytes("keytext=" + new string('A', 1024 * 1024)) },
            { "nul bytes", form, Encoding.ASCII.GetBytes("keytext=%00%00%00%00") },
        };
    }

    [Theory]
    [MemberData(nameof(HostileUploads))]
    public async Task Upload_Hostile_Is4xxAndStoredKeyStaysByteIdentical(string name, string contentType, byte[] body)
    {
        var stored = NewKey(out _);
        await _client.UploadAsync(stored);
        var before = await GetBytesAsync("op=get&options=mr&search=0x" + stored.Fingerprint);

        using var response = await _client.PostRawAsync(body, contentType);

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{name}: {status} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await GetBytesAsync("op=get&options=mr&search=0x" + stored.Fingerprint));
    }

    [Fact]
    public async Task Upload_NothingParses_Is422WithReason()
    {
        using var response = await _client.PostFormAsync("keytext=" + Uri.EscapeDataString("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", HttpStatusCode.UnsupportedMediaType)]
    public async Task Upload_WrongContentType_Is415(string contentType, HttpStatusCode expected)
    {
        using var response = await _client.PostRawAsync(Encoding.ASCII.GetBytes("keytext=abc"), contentType);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Upload_WrongField_Is400()
    {
        using var response = await _client.PostFormAsync("text=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("keytext", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
