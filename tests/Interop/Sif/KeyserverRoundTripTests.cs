namespace Interop.Tests.Sif;

/// <summary>sifsign against the real keyserver process, over HKP only.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public class KeyserverRoundTripTests(KeyserverFixture fixture)
{
    private string Url => fixture.Server.BaseUri.ToString();

    [Fact]
    public async Task PushSearchPull_NewKey_RoundTrips()
    {
        using var publisher = new SifSignProcess();
        var name = "Roundtrip " + Guid.NewGuid().ToString("N")[..8];
        var fingerprint = publisher.NewKey("ed25519", name);

        var push = (await publisher.RunAsync("key", "push", "--url", Url, fingerprint)).EnsureSuccess();
        Assert.Contains($"public key `{fingerprint}' pushed to server successfully", push.StandardOutput, StringComparison.Ordinal);

        var search = (await publisher.RunAsync("key", "search", "--url", Url, "--long-list", fingerprint)).EnsureSuccess();
        Assert.StartsWith("Showing 1 results\n", search.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(fingerprint, search.StandardOutput, StringComparison.Ordinal);

        using var consumer = new SifSignProcess();
        var pull = (await consumer.RunAsync("key", "pull", "--url", Url, fingerprint)).EnsureSuccess();
        Assert.StartsWith("1 key(s) added to keyring of trust", pull.StandardOutput, StringComparison.Ordinal);
        var list = (await consumer.RunAsync("key", "list")).EnsureSuccess();
        Assert.Contains($"Fingerprint:       {fingerprint}", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignerOnlyOnKeyserver_VerifiesAsRemoteAndSavesNothing()
    {
        using var signer = new SifSignProcess();
        var fingerprint = signer.NewKey("ed25519", "Remote " + Guid.NewGuid().ToString("N")[..8]);
        (await signer.RunAsync("key", "push", "--url", Url, fingerprint)).EnsureSuccess();
        var image = signer.CopyImage(SifReference.Image("one-group.sif"));
        (await signer.RunAsync("sign", image)).EnsureSuccess();

        using var verifier = new SifSignProcess();
        verifier.Environment["SIFSIGN_KEYSERVER"] = Url;
        var result = (await verifier.RunAsync("verify", image)).EnsureSuccess();

        Assert.Contains($"[REMOTE]           Fingerprint: {fingerprint}\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(verifier.KeysDir, "pgp-public")));

        var local = await verifier.RunAsync("verify", "--local", image);
        Assert.Equal(255, local.ExitCode);
    }

    [Fact]
    public async Task Verify_KeyserverDown_WarnsAndFails()
    {
        using var sifsign = new SifSignProcess();
        var image = sifsign.CopyImage(SifReference.Image("one-group-signed.sif"));

        var result = await sifsign.RunAsync("verify", "--url", "http://127.0.0.1:1", image);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("WARNING: failed to get key material: cannot reach keyserver http://127.0.0.1:1/", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("FATAL:   Failed to verify container: integrity: signature object 3 not valid", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_UnknownKey_FailsWithExit2()
    {
        using var sifsign = new SifSignProcess();

        var result = await sifsign.RunAsync("key", "pull", "--url", Url, new string('D', 40));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no matching keys found", result.StandardError, StringComparison.Ordinal);
    }
}
