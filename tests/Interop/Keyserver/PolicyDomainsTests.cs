using System.Net.Http.Json;

namespace Interop.Tests.Keyserver;

/// <summary><c>Policy:Domains</c> on every upload path of the real server: gpg over HKP, VKS, the portal form, import.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PolicyDomainsTests : IAsyncLifetime
{
    private const string Refusal = "no identity in example.org";
    private KeyserverProcess? _server;
    private GpgHome? _gpg;
    private string _outside = "";
    private string _mixed = "";

    private KeyserverProcess Server => _server!;

    private GpgHome Gpg => _gpg!;

    public async Task InitializeAsync()
    {
        _server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string> { ["Policy__Domains"] = "example.org" });
        _gpg = GpgHome.Create(Server.BaseUri);
        _outside = Gpg.GenerateKey("Outside <out@example.com>");
        _mixed = Gpg.GenerateKey("Inside <in@example.org>");
        Gpg.AddUserId(_mixed, "Elsewhere <other@example.com>");
    }

    public async Task DisposeAsync()
    {
        _gpg?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GpgSendKeys_KeyOutsideRefused_MixedKeyServedWithoutForeignIdentity()
    {
        Gpg.Run("--send-keys", _outside);
        Gpg.Run("--send-keys", _mixed).EnsureSuccess();

        using var http = Server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetKeyAsync(_outside)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.IndexAsync("in@example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.IndexAsync("other@example.com")).StatusCode);
        using var fresh = GpgHome.Create(Server.BaseUri);
        fresh.Run("--recv-keys", _mixed).EnsureSuccess();
        var uids = fresh.ListKeys(_mixed).Where(f => f[0] == "uid").Select(f => f[9]).ToList();
        Assert.Equal(["Inside <in@example.org>"], uids);
    }

    [Fact]
    public async Task HkpAnswer_SaysWhatWasDropped_AndWhyAKeyWasRefused()
    {
        using var http = Server.CreateClient();

        using var outside = await http.AddAsync(Gpg.ExportArmored(_outside));
        using var mixed = await http.AddAsync(Gpg.ExportArmored(_mixed));

        Assert.Contains(Refusal, await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(mixed.IsSuccessStatusCode, await mixed.DescribeAsync());
        Assert.Contains("1 identity outside example.org", await mixed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VksUpload_KeyOutside_RefusedWithTheLine()
    {
        using var http = Server.CreateClient();

        using var response = await http.PostAsJsonAsync(new Uri("vks/v1/upload", UriKind.Relative), new { keytext = Gpg.ExportArmored(_outside) });

        Assert.False(response.IsSuccessStatusCode);
        Assert.True((int)response.StatusCode < 500, await response.DescribeAsync());
        Assert.Contains(Refusal, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortalUpload_FormPost_RefusesOutsideAndNamesDropped()
    {
        using var portal = new PortalClient(Server.BaseUri);

        var (_, page) = await portal.GetAsync("/upload");
        var (_, refused) = await portal.SubmitAsync("/upload", page, [new("Keytext", Gpg.ExportArmored(_outside))]);
        (_, page) = await portal.GetAsync("/upload");
        var (_, accepted) = await portal.SubmitAsync("/upload", page, [new("Keytext", Gpg.ExportArmored(_mixed))]);

        Assert.Contains(Refusal, refused, StringComparison.Ordinal);
        Assert.Contains("1 identity outside example.org", accepted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ThroughRunningServer_KeyOutsideRejectedWithTheLine()
    {
        var keyring = Path.Combine(Gpg.Path, "outside.gpg");
        Gpg.Run("--output", keyring, "--export", _outside, _mixed).EnsureSuccess();

        var import = await KeyserverProcess.RunCommandAsync(Server.DataDirectory, ["import", keyring], new Dictionary<string, string> { ["Policy__Domains"] = "example.org" });

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains($"rejected {_outside}: {Refusal}", import.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 added", import.StandardOutput, StringComparison.Ordinal);
    }
}
