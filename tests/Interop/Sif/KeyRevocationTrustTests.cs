using SifSign.Keys;

namespace Interop.Tests.Sif;

/// <summary>
/// A key revoked after it was pulled (apptainer/singularity#2579), against the real keyserver process:
/// the signer pushes a key and signs, two users pull it, the owner uploads a revocation with sifsign;
/// then <c>verify --refresh</c> fails with "key revoked" (text and --json), <c>key refresh</c> reports
/// "revoked" and keeps it, and with the keyserver stopped <c>verify --refresh</c> warns and the local
/// decision stands.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class KeyRevocationTrustTests
{
    [Fact]
    public async Task RevokedOnServer_RefreshSeesIt_StoppedServerLeavesLocalDecision()
    {
        await using var server = await KeyserverProcess.StartAsync(env: KeyserverFixture.ServerEnvironment);
        var url = server.BaseUri.ToString();
        using var signer = new SifSignProcess();
        var fingerprint = signer.NewKey("ed25519", "Revoked later " + Guid.NewGuid().ToString("N")[..8]);
        (await signer.RunAsync("key", "push", "--url", url, fingerprint)).EnsureSuccess();
        var image = signer.CopyImage(SifReference.Image("one-group.sif"));
        (await signer.RunAsync("sign", image)).EnsureSuccess();

        using var early = new SifSignProcess();
        using var offline = new SifSignProcess();
        foreach (var user in new[] { early, offline })
        {
            (await user.RunAsync("key", "pull", "--url", url, fingerprint)).EnsureSuccess();
            (await user.RunAsync("verify", "--refresh", "--url", url, image)).EnsureSuccess();
        }

        var secret = KeyFile.ReadFile(signer.Export(fingerprint, secret: true), missingIsEmpty: false).SecretKeys.Single();
        var published = KeyFile.ReadFile(signer.Export(fingerprint, secret: false), missingIsEmpty: false).PublicKeys.Single();
        var revocation = Path.Combine(signer.Home, "revoked.asc");
        File.WriteAllBytes(revocation, KeyFile.Encode([KeyUpdates.Revoke(published, secret.GetSecretKey())], armor: true));
        using (var owner = new SifSignProcess())
        {
            (await owner.RunAsync("key", "import", revocation)).EnsureSuccess();
            (await owner.RunAsync("key", "push", "--url", url, fingerprint)).EnsureSuccess();
        }

        // Without --refresh the pulled copy still verifies: that is what Apptainer does.
        (await early.RunAsync("verify", "--url", url, image)).EnsureSuccess();
        var text = await early.RunAsync("verify", "--refresh", "--url", url, image);
        Assert.Equal(255, text.ExitCode);
        Assert.Contains("FATAL:   Failed to verify container: integrity: signature object 3 not valid: openpgp: key revoked", text.StandardError, StringComparison.Ordinal);
        var json = await early.RunAsync("verify", "--refresh", "--json", "--url", url, image);
        Assert.Equal(255, json.ExitCode);
        Assert.Contains("\"SignerKeys\": null", json.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("openpgp: key revoked", json.StandardError, StringComparison.Ordinal);

        var refresh = (await early.RunAsync("key", "refresh", "--url", url)).EnsureSuccess();
        Assert.Equal($"{fingerprint}: revoked\n", refresh.StandardOutput);
        var again = (await early.RunAsync("key", "refresh", "--url", url, fingerprint)).EnsureSuccess();
        Assert.Equal($"{fingerprint}: unchanged\n", again.StandardOutput);
        var local = await early.RunAsync("verify", "--local", image);
        Assert.Equal(255, local.ExitCode);
        Assert.Contains("openpgp: key revoked", local.StandardError, StringComparison.Ordinal);

        Assert.True(await server.StopAsync());
        var stopped = (await offline.RunAsync("verify", "--refresh", "--url", url, image)).EnsureSuccess();
        Assert.Contains($"WARNING: cannot refresh key {fingerprint}: cannot reach keyserver", stopped.StandardError, StringComparison.Ordinal);
        Assert.Contains("the local copy is used", stopped.StandardError, StringComparison.Ordinal);
        var unreachable = await offline.RunAsync("key", "refresh", "--url", url);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains($"ERROR:   {fingerprint}: cannot reach keyserver", unreachable.StandardError, StringComparison.Ordinal);
        Assert.Contains("FATAL:   1 of 1 key(s) could not be refreshed", unreachable.StandardError, StringComparison.Ordinal);
    }
}
