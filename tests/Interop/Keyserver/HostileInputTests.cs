namespace Interop.Tests.Keyserver;

/// <summary>
/// Input a stranger controls, sent over the real socket: each is refused with a 4xx and a text reason,
/// the server stays healthy, and a key stored before is served byte for byte as before.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class HostileInputTests(KeyserverFixture fixture)
{
    private const int FloodSignatures = 10_000;

    /// <summary>Small enough (about 0.5 MB armored) to pass the 1 MiB upload limit and reach the key policy.</summary>
    private const int FloodUnderUploadLimit = 3_000;
    private readonly KeyserverProcess _server = fixture.Server;

    [Theory]
    [MemberData(nameof(HostileUploads))]
    public async Task Add_HostileUpload_Refused4xxWithTextAndStoredKeyUnchanged(Upload upload)
    {
        using var gpg = GpgHome.Create();
        var fingerprint = gpg.GenerateKey($"Target <target-{Guid.NewGuid():N}@example.org>");
        var armored = gpg.ExportArmored(fingerprint);
        using var http = _server.CreateClient();
        using (var added = await http.AddAsync(armored))
        {
            Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
        }

        var before = await ServedBytes(http, fingerprint);
        using var content = upload switch
        {
            Upload.RandomBytesBody => Form(RandomBytes(64 * 1024)),
            Upload.GarbageKeytext => Keytext("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nthis is not base64 at all!\n-----END PGP PUBLIC KEY BLOCK-----\n"),
            Upload.EmptyKeytext => Keytext(string.Empty),
            Upload.SignatureFlood => Keytext(Flood(armored, FloodSignatures)),
            Upload.BadArmorChecksum => Keytext(CorruptChecksum(armored)),
            _ => Keytext(gpg.Run("--armor", "--export-secret-keys", fingerprint).EnsureSuccess().StandardOutput),
        };

        using var response = await http.PostAsync(new Uri("pks/add", UriKind.Relative), content);

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, await response.DescribeAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()), "a 4xx must say why");
        await AssertHealthy(http);
        // Byte-identical also proves that no secret material (SecretKey case) was merged into the key.
        Assert.Equal(before, await ServedBytes(http, fingerprint));
    }

    public static TheoryData<Upload> HostileUploads => new(Enum.GetValues<Upload>());

    [Fact]
    public async Task Add_SignatureFloodUnderUploadLimit_FloodNotStored()
    {
        using var gpg = GpgHome.Create();
        var fingerprint = gpg.GenerateKey($"Flooded <flooded-{Guid.NewGuid():N}@example.org>");
        var armored = gpg.ExportArmored(fingerprint);
        using var http = _server.CreateClient();
        (await http.AddAsync(armored)).EnsureSuccessStatusCode();
        var before = await ServedBytes(http, fingerprint);

        using var flood = Keytext(Flood(armored, FloodUnderUploadLimit));
        Assert.True((await flood.ReadAsByteArrayAsync()).Length < 1024 * 1024, "the flood must get past the upload limit");

        using var response = await http.PostAsync(new Uri("pks/add", UriKind.Relative), flood);

        // Accepting the key while dropping the certifications (CVE-2019-13050 policy) or refusing it are
        // both sound; storing the flood or failing with 5xx is not.
        var status = (int)response.StatusCode;
        Assert.True(status is 200 or (>= 400 and < 500), await response.DescribeAsync());
        await AssertHealthy(http);
        Assert.Equal(before, await ServedBytes(http, fingerprint));
    }

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public async Task Lookup_MalformedQuery_RefusedAndServerHealthy(string query, int expected)
    {
        using var http = _server.CreateClient();

        var response = await RawHttp.GetAsync(_server.BaseUri, "/pks/lookup?" + query);

        Assert.True(response.StatusCode == expected, response.ToString());
        Assert.False(string.IsNullOrWhiteSpace(response.Body), "an error must say why");
        await AssertHealthy(http);
    }

    public static TheoryData<string, int> MalformedQueries => new()
    {
        { "op=get&options=mr&search=%ZZ", 400 },
        { "op=get&options=mr&search=%C3%28", 400 },
        { "op=get&options=mr", 400 },
        { "op=get&search=0x0123456789ABCDEF&x-pagesize=-1", 400 },
        { "op=index&options=mr&search=0x0123456789ABCDEF&x-pagetoken=%00%01", 400 },
        { "op=frobnicate&search=0x0123456789ABCDEF", 501 }, // §1.8: not implemented, not malformed
    };

    [Fact]
    public async Task Lookup_OversizedSearch_Refused4xxAndServerHealthy()
    {
        using var http = _server.CreateClient();

        using var response = await http.GetAsync(new Uri("pks/lookup?op=index&options=mr&search=" + new string('a', 16 * 1024), UriKind.Relative));

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500 and not 404, await response.DescribeAsync());
        await AssertHealthy(http);
    }

    [Fact]
    public async Task Add_DeclaredBodyFarOverLimit_Refused413WithoutReadingIt()
    {
        using var http = _server.CreateClient();
        // Announces 1 GiB but sends a few bytes: the server must refuse on the header, not wait or buffer.
        var request = Encoding.ASCII.GetBytes(
            $"POST /pks/add HTTP/1.1\r\nHost: {_server.BaseUri.Authority}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 1073741824\r\nConnection: close\r\n\r\nkeytext=");

        var response = await RawHttp.SendAsync(_server.BaseUri, request);

        Assert.True(response.StatusCode == 413, response.ToString());
        await AssertHealthy(http);
    }

    private static async Task<byte[]> ServedBytes(HttpClient http, string fingerprint)
    {
        using var response = await http.GetKeyAsync(fingerprint);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.DescribeAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task AssertHealthy(HttpClient http)
    {
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.True(health.StatusCode == HttpStatusCode.OK, _server.ToString());
    }

    private static ByteArrayContent Form(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        return content;
    }

    private static ByteArrayContent Keytext(string armored) =>
        Form(Encoding.ASCII.GetBytes("keytext=" + Uri.EscapeDataString(armored)));

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The target key with <paramref name="count"/> valid certifications by four throwaway keys.</summary>
    private static string Flood(string armored, int count)
    {
        var ring = Assert.Single(TestKeys.ReadPublicKeyRings(Encoding.ASCII.GetBytes(armored)));
        var target = ring.GetPublicKey();
        var userId = target.GetUserIds().First();
        var signers = Enumerable.Range(0, 4).Select(_ => TestKeys.NewKeyPair()).ToArray();
        var flooded = target;
        for (var i = 0; i < count; i++)
        {
            flooded = PgpPublicKey.AddCertification(flooded, userId, TestKeys.ThirdPartyCertification(signers[i % signers.Length], target, userId));
        }

        return TestKeys.Armor(PgpPublicKeyRing.InsertPublicKey(ring, flooded).GetEncoded());
    }

    /// <summary>Flips the armor's CRC-24 line to another valid-looking value.</summary>
    private static string CorruptChecksum(string armored)
    {
        var lines = armored.Split('\n');
        var crc = Array.FindIndex(lines, l => l.StartsWith('=') && l.TrimEnd('\r').Length == 5);
        Assert.True(crc > 0, "gpg's armor carries a CRC line");
        lines[crc] = lines[crc].StartsWith("=AAAA", StringComparison.Ordinal) ? "=BBBB" : "=AAAA";
        return string.Join('\n', lines);
    }

    public enum Upload
    {
        RandomBytesBody,
        GarbageKeytext,
        EmptyKeytext,
        SignatureFlood,
        BadArmorChecksum,
        SecretKey,
    }
}
