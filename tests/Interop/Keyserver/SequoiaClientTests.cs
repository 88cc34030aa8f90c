namespace Interop.Tests.Keyserver;

/// <summary>Debian's sq 0.27 (<c>sq keyserver send|get</c>) against the real server: spec/hkp.md §9.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class SequoiaClientTests(KeyserverFixture fixture) : IDisposable
{
    private readonly KeyserverProcess _server = fixture.Server;
    private readonly string _sq = Tools.Require("sq", "sq");
    private readonly string _dir = KeyserverProcess.CreateTempDirectory("sq-");

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task SendThenGet_ByQuery_ReturnsSameCertificate(Query query)
    {
        var email = $"sq-{Guid.NewGuid():N}@example.org";
        var (fingerprint, certificate) = await GenerateAsync($"Sequoia User <{email}>");

        var sent = await Sq("send", certificate);
        Assert.True(sent.ExitCode == 0, sent.ToString() + _server);

        var output = Path.Combine(_dir, "got.asc");
        var got = await Sq("get", "--output", output, query switch
        {
            Query.Fingerprint => fingerprint,
            Query.KeyId => fingerprint[^16..],
            _ => email,
        });

        Assert.True(got.ExitCode == 0, got.ToString());
        var inspected = await ProcessRunner.RunAsync(_sq, "inspect", output);
        inspected.EnsureSuccess();
        Assert.Contains($"Fingerprint: {fingerprint}", inspected.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(email, inspected.StandardOutput, StringComparison.Ordinal);
        Assert.Single(TestKeys.ReadPublicKeyRings(await File.ReadAllBytesAsync(output)));
    }

    public static TheoryData<Query> Queries => new(Enum.GetValues<Query>());

    [Fact]
    public async Task Get_UnknownFingerprint_FailsWithNotFound()
    {
        var got = await Sq("get", "0123456789ABCDEF0123456789ABCDEF01234567");

        Assert.NotEqual(0, got.ExitCode);
        Assert.Contains("not found", got.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => KeyserverProcess.TryDeleteDirectory(_dir);

    private Task<ProcessResult> Sq(params string[] args) =>
        ProcessRunner.RunAsync(_sq, ["keyserver", "--policy", "insecure", "--server", $"hkp://127.0.0.1:{_server.Port}", .. args]);

    private async Task<(string Fingerprint, string CertificatePath)> GenerateAsync(string userId)
    {
        var key = Path.Combine(_dir, "key.pgp");
        var certificate = Path.Combine(_dir, "cert.asc");
        (await ProcessRunner.RunAsync(_sq, "key", "generate", "--userid", userId, "--export", key)).EnsureSuccess();
        (await ProcessRunner.RunAsync(_sq, "key", "extract-cert", "--output", certificate, key)).EnsureSuccess();
        var ring = Assert.Single(TestKeys.ReadPublicKeyRings(await File.ReadAllBytesAsync(certificate)));
        return (TestKeys.Fingerprint(ring.GetPublicKey()), certificate);
    }

    public enum Query
    {
        Fingerprint,
        KeyId,
        Email,
    }
}
