using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SifSign.Dsse;
using SifSign.Integrity;
using SifSign.Pki;
using SifSign.Sif;

namespace SifSign.Cli.Tests.Commands;

/// <summary><c>sign --key</c> and <c>verify --key/--certificate</c>: DSSE round trips and every kind of bad input.</summary>
public class PemSignVerifyTests
{
    private static (string Private, string Public) NewPem(CliHarness cli, PemKeyAlgorithm algorithm = PemKeyAlgorithm.EcdsaP256)
    {
        var pair = PemKeys.Generate(algorithm);
        var name = Path.Combine(cli.Home, Guid.NewGuid().ToString("N")[..8]);
        PemKeys.WriteFiles(pair, name + ".pem", name + ".pub");
        return (name + ".pem", name + ".pub");
    }

    private static void AssertFails(CliHarness cli, string image, string expected, params string[] args)
    {
        var before = File.ReadAllBytes(image);

        Assert.Equal(ExitCodes.Failure, cli.Run(args));

        Assert.True(cli.Error.ToString().Contains(expected, StringComparison.Ordinal), cli.Error.ToString());
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Theory]
    [MemberData(nameof(PemAlgorithms))]
    public void SignAndVerify_PemKey_RoundTripsWithApptainerLayout(PemKeyAlgorithm algorithm)
    {
        using var cli = new CliHarness();
        var (privateKey, publicKey) = NewPem(cli, algorithm);
        var image = Fixtures.CopyImage(cli, "two-groups.sif");

        Assert.Equal(0, cli.Run("sign", "--key", privateKey, image));
        Assert.Equal(
            $"INFO:    Signing image with key material from '{privateKey}'\nINFO:    Signature created and applied to image '{image}'\n",
            cli.Error.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, cli.Run("verify", "--key", publicKey, image));

        Assert.Equal(
            $"INFO:    Verifying image with key material from '{publicKey}'\nINFO:    Verified signature(s) from image '{image}'\n",
            cli.Error.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("Signing entity", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, cli.Out.ToString().Split("Objects verified:").Length - 1);
    }

    public static TheoryData<PemKeyAlgorithm> PemAlgorithms => new(Enum.GetValues<PemKeyAlgorithm>());

    [Fact]
    public void Verify_PemKeyJson_ReportsUnknownSigner()
    {
        using var cli = new CliHarness();
        var (privateKey, publicKey) = NewPem(cli);
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        Assert.Equal(0, cli.Run("sign", "--key", privateKey, image));

        Assert.Equal(0, cli.Run("verify", "--key", publicKey, "--json", image));

        var entry = "    {\n      \"Signer\": {\n        \"Partition\": \"FS\",\n        \"Name\": \"unknown\",\n        \"Fingerprint\": \"\",\n" +
            "        \"KeyLocal\": false,\n        \"KeyCheck\": false,\n        \"DataCheck\": true\n      }\n    }";
        Assert.Equal($"{{\n  \"Signatures\": 1,\n  \"SignerKeys\": [\n{entry},\n{entry}\n  ]\n}}\n", cli.Out.ToString());
    }

    [Fact]
    public void SignAndVerify_KeysFromApptainerVariables()
    {
        using var cli = new CliHarness();
        var (privateKey, publicKey) = NewPem(cli);
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        cli.Environment["APPTAINER_SIGN_KEY"] = privateKey;
        cli.Environment["APPTAINER_VERIFY_KEY"] = publicKey;

        Assert.Equal(0, cli.Run("sign", image));
        Assert.Equal(0, cli.Run("verify", image));
        Assert.Contains($"key material from '{publicKey}'", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_EncryptedKey_PromptsWithoutEchoOrUsesCosignPassword()
    {
        using var cli = new CliHarness();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = Path.Combine(cli.Home, "encrypted.pem");
        File.WriteAllText(key, ec.ExportEncryptedPkcs8PrivateKeyPem("s3cret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        cli.Terminal.Answers.Enqueue("s3cret");
        Assert.Equal(0, cli.Run("sign", "--key", key, image));
        Assert.Equal(["Enter password for private key: "], cli.Terminal.Prompts);

        cli.Environment["COSIGN_PASSWORD"] = "s3cret";
        Assert.Equal(0, cli.Run("sign", "--key", key, image));
        Assert.Single(cli.Terminal.Prompts);

        cli.Environment["COSIGN_PASSWORD"] = "wrong";
        AssertFails(cli, image, "FATAL:   Failed to sign container: cannot load private key", "sign", "--key", key, image);
        var passphraseFile = Path.Combine(cli.Home, "pass.txt");
        File.WriteAllText(passphraseFile, "s3cret\n");
        Assert.Equal(0, cli.Run("sign", "--key", key, "--passphrase-file", passphraseFile, image));
        cli.Environment.Remove("COSIGN_PASSWORD");
        AssertFails(cli, image, "is encrypted: use --passphrase-file, set COSIGN_PASSWORD", "sign", "--key", key, image);
        Assert.Single(cli.Terminal.Prompts.Skip(1), "Enter password for private key: ");
    }

    [Theory]
    [MemberData(nameof(MalformedPems))]
    public void Sign_MalformedPem_FailsAndImageUnchanged(string pem, string expected)
    {
        using var cli = new CliHarness();
        var key = Path.Combine(cli.Home, "bad.pem");
        File.WriteAllText(key, pem);
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        AssertFails(cli, image, "FATAL:   Failed to sign container: " + expected, "sign", "--key", key, image);
    }

    public static TheoryData<string, string> MalformedPems => new()
    {
        { "not pem at all", "cannot load private key" },
        { "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "cannot load private key" },
        { "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "cannot load private key" },
        { "-----BEGIN PRIVATE KEY-----\nMIIB", "cannot load private key" },
    };

    [Fact]
    public void SignAndVerify_WrongKindOfPem_ClearMessages()
    {
        using var cli = new CliHarness();
        var (privateKey, publicKey) = NewPem(cli);
        var certificate = WriteSelfSignedCertificate(cli);
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        AssertFails(cli, image, "found a certificate where a private key is expected", "sign", "--key", certificate, image);
        AssertFails(cli, image, "found a public key (PUBLIC KEY) where a private key is expected", "sign", "--key", publicKey, image);
        Assert.Equal(0, cli.Run("sign", "--key", privateKey, image));
        AssertFails(cli, image, "found a certificate where a public key is expected", "verify", "--key", certificate, image);
        AssertFails(cli, image, "found a private key (PRIVATE KEY) where a public key is expected", "verify", "--key", privateKey, image);
        AssertFails(cli, image, "cannot load certificate", "verify", "--certificate", publicKey, image);
        AssertFails(cli, image, "cannot load certificates", "verify", "--certificate", certificate, "--certificate-roots", publicKey, image);
    }

    [Fact]
    public void SignAndVerify_MissingOrHugeKeyFile_ClearMessages()
    {
        using var cli = new CliHarness();
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        var huge = Path.Combine(cli.Home, "huge.pem");
        File.WriteAllText(huge, new string('A', (1024 * 1024) + 1));

        AssertFails(cli, image, "Failed to sign container: cannot read private key", "sign", "--key", Path.Combine(cli.Home, "absent.pem"), image);
        AssertFails(cli, image, "file larger than 1048576 bytes", "sign", "--key", huge, image);
        AssertFails(cli, image, "Failed to verify container: cannot read public key", "verify", "--key", Path.Combine(cli.Home, "absent.pub"), image);
    }

    [Fact]
    public void Verify_OtherKey_FailsWithThresholdError()
    {
        using var cli = new CliHarness();
        var (privateKey, _) = NewPem(cli);
        var (_, otherPublic) = NewPem(cli);
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        Assert.Equal(0, cli.Run("sign", "--key", privateKey, image));

        AssertFails(cli, image, "FATAL:   Failed to verify container: integrity:", "verify", "--key", otherPublic, image);
    }

    [Fact]
    public void Verify_PemKeyOnPgpSignedImage_Fails()
    {
        using var cli = new CliHarness();
        var (_, publicKey) = NewPem(cli);
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif");

        AssertFails(cli, image, "FATAL:   Failed to verify container: integrity:", "verify", "--key", publicKey, image);
    }

    [Theory]
    [MemberData(nameof(HostileEnvelopes))]
    public void Verify_HostileEnvelope_FailsWithReason(string kind, string expected)
    {
        using var cli = new CliHarness();
        var pair = PemKeys.Generate(PemKeyAlgorithm.Ed25519);
        var publicKey = Path.Combine(cli.Home, "k.pub");
        File.WriteAllText(publicKey, pair.PublicKeyPem);
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        ImageSigner.Sign(image, new HostileEncoder(PemKeys.LoadPrivate(pair.PrivateKeyPem), kind), new SignOptions());

        AssertFails(cli, image, expected, "verify", "--key", publicKey, image);
        Assert.Contains("FATAL:   Failed to verify container: integrity:", cli.Error.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> HostileEnvelopes => new()
    {
        // As sif's format detection: an envelope for another payload type is not a SIF signature at all.
        { "wrong-type", "signature format not recognized" },
        { "zero-signatures", "zero signatures" },
        { "garbage-base64", "not valid base64" },
        { "not-json", "signature format not recognized" },
    };

    [Fact]
    public void Verify_CertificateChain_LeafKeyVerifies()
    {
        using var cli = new CliHarness();
        var (root, leaf, leafKey) = WriteChain(cli, ocspUrl: null);
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        Assert.Equal(0, cli.Run("sign", "--key", leafKey, image));

        Assert.Equal(0, cli.Run("verify", "--certificate", leaf, "--certificate-roots", root, image));
        Assert.Contains($"INFO:    Verifying image with key material from certificate '{leaf}'", cli.Error.ToString(), StringComparison.Ordinal);

        AssertFails(cli, image, "FATAL:   Failed to verify container: certificate", "verify", "--certificate", leaf, image);
        cli.Environment["APPTAINER_VERIFY_CERTIFICATE"] = leaf;
        cli.Environment["APPTAINER_VERIFY_ROOTS"] = WriteSelfSignedCertificate(cli);
        AssertFails(cli, image, "FATAL:   Failed to verify container: certificate", "verify", image);
        cli.Environment["APPTAINER_VERIFY_ROOTS"] = root;
        Assert.Equal(0, cli.Run("verify", image));
    }

    [Fact]
    public void Verify_OcspResponderDown_FailsWithWarningAndNoSoftFail()
    {
        using var cli = new CliHarness();
        var (root, leaf, leafKey) = WriteChain(cli, ocspUrl: "http://127.0.0.1:1/ocsp");
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        Assert.Equal(0, cli.Run("sign", "--key", leafKey, image));

        AssertFails(cli, image, "FATAL:   Failed to verify container: OCSP verification has failed", "verify", "--certificate", leaf, "--certificate-roots", root, "--ocsp-verify", image);

        Assert.Contains("WARNING:", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Single(cli.Requests);
        Assert.Equal("http://127.0.0.1:1/ocsp", cli.Requests[0].RequestUri!.ToString());
        Assert.Empty(cli.Out.ToString());
    }

    private static string WriteSelfSignedCertificate(CliHarness cli)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Not a key", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(cli.Home, "cert.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static (string Root, string Leaf, string LeafKey) WriteChain(CliHarness cli, string? ocspUrl)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=CLI Test Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=CLI Test Signer", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        if (ocspUrl is not null)
        {
            leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl], null));
        }

        using var leaf = leafRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3]);
        var paths = (Path.Combine(cli.Home, "root.pem"), Path.Combine(cli.Home, "leaf.pem"), Path.Combine(cli.Home, "leaf.key"));
        File.WriteAllText(paths.Item1, root.ExportCertificatePem());
        File.WriteAllText(paths.Item2, leaf.ExportCertificatePem());
        File.WriteAllText(paths.Item3, leafKey.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    /// <summary>Writes envelopes a hostile signer could put into an image.</summary>
    private sealed class HostileEncoder(PemSigningKey key, string kind) : ISignatureEncoder
    {
        public SifHashType HashType => SifHashType.Sha256;

        public ReadOnlyMemory<byte> Fingerprint => ReadOnlyMemory<byte>.Empty;

        public byte[] Encode(ReadOnlySpan<byte> metadata)
        {
            var payload = Convert.ToBase64String(metadata);
            var json = kind switch
            {
                "wrong-type" => Encoding.UTF8.GetString(DsseSigner.Sign("text/plain", metadata.ToArray(), [key]).Serialize()),
                "zero-signatures" => $"{{\"payloadType\":\"{DsseEnvelope.SifMetadataPayloadType}\",\"payload\":\"{payload}\",\"signatures\":[]}}",
                "garbage-base64" => $"{{\"payloadType\":\"{DsseEnvelope.SifMetadataPayloadType}\",\"payload\":\"%%%{payload}\",\"signatures\":[{{\"keyid\":\"\",\"sig\":\"AAAA\"}}]}}",
                _ => "{\"payloadType\":",
            };
            return Encoding.UTF8.GetBytes(json);
        }
    }
}
