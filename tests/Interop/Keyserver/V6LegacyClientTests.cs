namespace Interop.Tests.Keyserver;

/// <summary>
/// Legacy clients that cannot read v6 keys (RFC 9580), against an address that has both a v4 and a
/// v6 key: GnuPG 2.2 imports nothing at all when an answer holds a v6 key, so the server must leave
/// it out; sq 0.27 gets the v4 key alone too.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class V6LegacyClientTests(KeyserverFixture fixture) : IDisposable
{
    private readonly KeyserverProcess _server = fixture.Server;
    private readonly string _dir = KeyserverProcess.CreateTempDirectory("v6-legacy-");

    [Fact]
    public async Task Gpg22_LocateByAddressOfV4AndV6Key_ImportsTheV4Key()
    {
        using var http = _server.CreateClient();
        var pair = await V6Pair.SubmitAsync(http);
        using var gpg = GpgHome.Create(_server.BaseUri);

        var located = gpg.Run("--auto-key-locate", "clear,keyserver", "--locate-keys", pair.Address);

        Assert.True(located.ExitCode == 0, located.ToString());
        Assert.Contains("IMPORT_OK", located.StandardError, StringComparison.Ordinal);
        Assert.Equal([pair.V4], gpg.Fingerprints());
    }

    [Fact]
    public async Task Gpg22_SearchKeysForAddressOfV4AndV6Key_ListsOneKey()
    {
        using var http = _server.CreateClient();
        var pair = await V6Pair.SubmitAsync(http);
        using var gpg = GpgHome.Create(_server.BaseUri);

        var search = gpg.Run("--with-colons", "--search-keys", pair.Address);

        var lines = search.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("info:1:1", lines.Single(l => l.StartsWith("info:", StringComparison.Ordinal)));
        Assert.Equal(pair.V4, lines.Single(l => l.StartsWith("pub:", StringComparison.Ordinal)).Split(':')[1], ignoreCase: true);
    }

    [Fact]
    public async Task Sq027_GetAddressOfV4AndV6Key_GetsTheV4Key()
    {
        var sq = Tools.Require("sq", "sq");
        using var http = _server.CreateClient();
        var pair = await V6Pair.SubmitAsync(http);
        var output = Path.Combine(_dir, "got.asc");

        var got = await ProcessRunner.RunAsync(sq, "keyserver", "--policy", "insecure", "--server", $"hkp://127.0.0.1:{_server.Port}", "get", "--output", output, pair.Address);

        Assert.True(got.ExitCode == 0, got.ToString());
        Assert.Equal([pair.V4], TestKeys.ReadPublicKeyRings(await File.ReadAllBytesAsync(output)).Select(r => TestKeys.Fingerprint(r.GetPublicKey())));
    }

    public void Dispose() => KeyserverProcess.TryDeleteDirectory(_dir);
}
