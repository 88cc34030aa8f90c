namespace Interop.Tests.Pki;

/// <summary>
/// <c>verify --certificate</c> (sif.md §3.5) and <c>--ocsp-verify</c> (§3.6) through the real CLI, against a
/// PKI that openssl makes in the test: root, intermediate, code-signing leaf.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class CertificateTests
{
    private const string CodeSigningLeaf = "extendedKeyUsage=codeSigning";

    private static (SifSignProcess SifSign, OpenSsl OpenSsl, string Image) SignedByLeaf(string leafEku = CodeSigningLeaf, string? ocspUrl = null, bool intermediate = true)
    {
        var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        openssl.NewRoot("root");
        var issuer = "root";
        if (intermediate)
        {
            openssl.Issue("intermediate", "root", 0x10, rsa: false, "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign");
            issuer = "intermediate";
        }

        string[] aia = ocspUrl is null ? [] : [$"authorityInfoAccess=OCSP;URI:{ocspUrl}"];
        openssl.Issue("leaf", issuer, 0x20, rsa: true, ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature", leafEku, .. aia]);
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        sifsign.Run("sign", "--key", openssl.PathOf("leaf.key"), image).EnsureSuccess();
        return (sifsign, openssl, image);
    }

    [Fact]
    public void Verify_CodeSigningLeafChainingToGivenRoot_Succeeds()
    {
        var (sifsign, openssl, image) = SignedByLeaf();
        using (sifsign)
        {
            var leaf = openssl.PathOf("leaf.pem");

            var result = sifsign.Run(
                "verify", "--certificate", leaf, "--certificate-intermediates", openssl.PathOf("intermediate.pem"),
                "--certificate-roots", openssl.PathOf("root.pem"), "--json", image).EnsureSuccess();

            Assert.Contains($"INFO:    Verifying image with key material from certificate '{leaf}'", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("\"Name\": \"unknown\",\n        \"Fingerprint\": \"\",\n        \"KeyLocal\": false,\n        \"KeyCheck\": false,\n        \"DataCheck\": true", result.StandardOutput, StringComparison.Ordinal);
            openssl.Run("verify", "-CAfile", "root.pem", "-untrusted", "intermediate.pem", "-purpose", "any", "leaf.pem").EnsureSuccess();
        }
    }

    [Fact]
    public void Verify_CertificateTakesPrecedenceOverKey()
    {
        var (sifsign, openssl, image) = SignedByLeaf();
        using (sifsign)
        {
            var unrelated = openssl.NewKey("unrelated.pem", PemKind.Ed25519Pkcs8);

            sifsign.Run(
                "verify", "--key", unrelated + ".pub", "--certificate", openssl.PathOf("leaf.pem"),
                "--certificate-intermediates", openssl.PathOf("intermediate.pem"), "--certificate-roots", openssl.PathOf("root.pem"), image).EnsureSuccess();
        }
    }

    [Fact]
    public void Verify_LeafWithoutCodeSigningEku_Refused()
    {
        var (sifsign, openssl, image) = SignedByLeaf("extendedKeyUsage=serverAuth");
        using (sifsign)
        {
            var result = sifsign.Run(
                "verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-intermediates", openssl.PathOf("intermediate.pem"),
                "--certificate-roots", openssl.PathOf("root.pem"), image);

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("FATAL:   Failed to verify container: certificate", result.StandardError, StringComparison.Ordinal);
            Assert.Empty(result.StandardOutput);
        }
    }

    [Fact]
    public void Verify_ChainToAnotherRoot_Refused()
    {
        var (sifsign, openssl, image) = SignedByLeaf();
        using (sifsign)
        {
            openssl.NewRoot("stranger");

            var result = sifsign.Run(
                "verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-intermediates", openssl.PathOf("intermediate.pem"),
                "--certificate-roots", openssl.PathOf("stranger.pem"), image);

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("FATAL:   Failed to verify container: certificate", result.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_MissingIntermediate_Refused()
    {
        var (sifsign, openssl, image) = SignedByLeaf();
        using (sifsign)
        {
            var result = sifsign.Run("verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-roots", openssl.PathOf("root.pem"), image);

            Assert.Equal(255, result.ExitCode);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task OcspVerify_OpenSslResponder_GoodPassesRevokedFails(bool revoked, bool viaEnvironment)
    {
        // Leaf issued by the root directly: the root is self-signed, so the leaf is the one certificate asked about.
        using var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        openssl.NewRoot("root");
        await using var responder = new OpenSslOcspResponder(openssl, "root");
        var serial = openssl.Issue("leaf", "root", 0x30, rsa: true, "basicConstraints=CA:FALSE", CodeSigningLeaf, $"authorityInfoAccess=OCSP;URI:{responder.Url}");
        responder.SetIndex((serial, "/CN=Interop leaf", revoked));
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        sifsign.Run("sign", "--key", openssl.PathOf("leaf.key"), image).EnsureSuccess();
        string[] flag = viaEnvironment ? [] : ["--ocsp-verify"];
        if (viaEnvironment)
        {
            sifsign.Environment["APPTAINER_VERIFY_OCSP"] = "true";
        }

        var result = await sifsign.RunAsync(["verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-roots", openssl.PathOf("root.pem"), .. flag, image]);

        Assert.Equal(1, responder.Requests);
        AssertOcspOutcome(result, refused: revoked, "WARNING:");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OcspVerify_FullChain_AsksEachIssuerAndRefusesRevokedIntermediate(bool intermediateRevoked)
    {
        using var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        openssl.NewRoot("root");
        await using var rootResponder = new OpenSslOcspResponder(openssl, "root");
        await using var intermediateResponder = new OpenSslOcspResponder(openssl, "intermediate");
        var intermediateSerial = openssl.Issue(
            "intermediate", "root", 0x40, rsa: false, "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign",
            $"authorityInfoAccess=OCSP;URI:{rootResponder.Url}");
        var leafSerial = openssl.Issue("leaf", "intermediate", 0x41, rsa: true, "basicConstraints=CA:FALSE", CodeSigningLeaf, $"authorityInfoAccess=OCSP;URI:{intermediateResponder.Url}");
        rootResponder.SetIndex((intermediateSerial, "/CN=Interop intermediate", intermediateRevoked), (leafSerial, "/CN=Interop leaf", false));
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        sifsign.Run("sign", "--key", openssl.PathOf("leaf.key"), image).EnsureSuccess();

        var result = await sifsign.RunAsync(
            "verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-intermediates", openssl.PathOf("intermediate.pem"),
            "--certificate-roots", openssl.PathOf("root.pem"), "--ocsp-verify", image);

        Assert.Equal(1, rootResponder.Requests);
        Assert.Equal(1, intermediateResponder.Requests);
        AssertOcspOutcome(result, refused: intermediateRevoked, "Interop intermediate");
    }

    [Fact]
    public void OcspVerify_UnreachableResponder_FailsWithReason()
    {
        var closedPort = FreePort();
        var (sifsign, openssl, image) = SignedByLeaf(ocspUrl: $"http://127.0.0.1:{closedPort}/ocsp", intermediate: false);
        using (sifsign)
        {
            var result = sifsign.Run(
                "verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-roots", openssl.PathOf("root.pem"), "--ocsp-verify", image);

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("WARNING:", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("FATAL:   Failed to verify container: OCSP verification has failed", result.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OcspVerify_CertificateWithoutOcspUrl_Fails()
    {
        var (sifsign, openssl, image) = SignedByLeaf(intermediate: false);
        using (sifsign)
        {
            var result = sifsign.Run(
                "verify", "--certificate", openssl.PathOf("leaf.pem"), "--certificate-roots", openssl.PathOf("root.pem"), "--ocsp-verify", image);

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("OCSP verification has failed", result.StandardError, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Verification passed, or failed with apptainer's OCSP message and <paramref name="alsoSays"/> on stderr.</summary>
    private static void AssertOcspOutcome(ProcessResult result, bool refused, string alsoSays)
    {
        if (refused)
        {
            Assert.Equal(255, result.ExitCode);
            Assert.Contains("FATAL:   Failed to verify container: OCSP verification has failed", result.StandardError, StringComparison.Ordinal);
            Assert.Contains(alsoSays, result.StandardError, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }
}
