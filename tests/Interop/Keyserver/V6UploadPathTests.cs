using System.Net.Http.Json;

namespace Interop.Tests.Keyserver;

/// <summary>
/// v6 keys (RFC 9580) through every upload path of the real server (HKP add, VKS upload, portal
/// upload, HKP v2 submission, the import command), and out only where they should be: HKP v2 and
/// VKS, never legacy <c>/pks/lookup</c>.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class V6UploadPathTests(KeyserverFixture fixture) : IDisposable
{
    private readonly HttpClient _http = fixture.Server.CreateClient();

    [Theory]
    [MemberData(nameof(UploadPaths))]
    public async Task Upload_V6Key_ServedByV2AndVksOnly(UploadPath path)
    {
        var key = new CraftedEd25519(6);
        var address = HkpV2Tests.Unique("path");
        var binary = key.Key($"Path <{address}>");
        var armored = TestKeys.Armor(binary);

        switch (path)
        {
            case UploadPath.HkpAdd:
                using (var response = await _http.AddAsync(armored))
                {
                    Assert.True(response.IsSuccessStatusCode, await response.DescribeAsync());
                    Assert.Contains(key.FingerprintHex + " added", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                break;
            case UploadPath.VksUpload:
                using (var response = await _http.PostAsJsonAsync(new Uri("vks/v1/upload", UriKind.Relative), new { keytext = armored }))
                {
                    Assert.True(response.IsSuccessStatusCode, await response.DescribeAsync());
                    Assert.Contains(key.FingerprintHex, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                break;
            case UploadPath.Portal:
                using (var portal = new PortalClient(fixture.Server.BaseUri))
                {
                    var (_, form) = await portal.GetAsync("/upload");
                    var (status, html) = await portal.SubmitAsync("/upload", form, [new("Keytext", armored)]);
                    Assert.Equal(HttpStatusCode.OK, status);
                    Assert.Contains(key.FingerprintHex, html, StringComparison.OrdinalIgnoreCase);
                }

                break;
            default:
                using (var response = await _http.SubmitV2Async(binary))
                {
                    Assert.True(response.IsSuccessStatusCode, await response.DescribeAsync());
                }

                break;
        }

        await AssertServedOnlyByV2AndVksAsync(_http, key.FingerprintHex, address);
    }

    public static TheoryData<UploadPath> UploadPaths => new(Enum.GetValues<UploadPath>());

    [Fact]
    public async Task Import_V6Keys_RfcSampleStoredUnpublishedOpenPgpJsKeyServed()
    {
        var data = KeyserverProcess.CreateTempDirectory("ks-v6-import-");
        var file = Path.Combine(data, "v6.asc");
        await File.WriteAllTextAsync(file, V6Certificates.Rfc9580Sample + V6Certificates.OpenPgpJsVera);
        try
        {
            var import = await KeyserverProcess.RunCommandAsync(data, ["import", file, "--publish"]);
            Assert.True(import.ExitCode == 0, import.ToString());

            await using var server = await KeyserverProcess.StartAsync(data);
            using var http = server.CreateClient();
            await AssertServedOnlyByV2AndVksAsync(http, V6Certificates.OpenPgpJsVeraFingerprint, V6Certificates.OpenPgpJsVeraEmail);
            // The RFC's sample has no user ID: stored, but nothing of it may be published.
            using var sample = await http.GetAsync(new Uri($"pks/v2/certs/by-vfingerprint/06/{V6Certificates.Rfc9580SampleFingerprint}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, sample.StatusCode);
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(data);
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task AssertServedOnlyByV2AndVksAsync(HttpClient http, string fingerprint, string address)
    {
        foreach (var path in new[]
        {
            $"pks/v2/certs/by-vfingerprint/06/{fingerprint}",
            $"pks/v2/certs/by-identity/{address}",
            $"pks/v2/index/{address}",
            $"vks/v1/by-fingerprint/{fingerprint}",
        })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, path + ": " + await response.DescribeAsync());
        }

        foreach (var search in new[] { "0x" + fingerprint, Uri.EscapeDataString(address) })
        {
            foreach (var op in new[] { "get", "index", "vindex" })
            {
                using var response = await http.GetAsync(new Uri($"pks/lookup?op={op}&options=mr&search={search}", UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{op} {search}: " + await response.DescribeAsync());
            }
        }
    }

    public enum UploadPath
    {
        HkpAdd,
        VksUpload,
        Portal,
        HkpV2,
    }
}
