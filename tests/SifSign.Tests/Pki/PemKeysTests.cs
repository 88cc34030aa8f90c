using System.Runtime.Versioning;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace SifSign.Tests.Pki;

public sealed class PemKeysTests
{
    [Theory]
    [InlineData(FixtureKeys.Ed25519Public, FixtureKeys.Ed25519KeyId, PemKeyAlgorithm.Ed25519)]
    [InlineData(FixtureKeys.RsaPublic, FixtureKeys.RsaKeyId, PemKeyAlgorithm.Rsa)]
    [InlineData(FixtureKeys.EcdsaP256Public, FixtureKeys.EcdsaP256KeyId, PemKeyAlgorithm.EcdsaP256)]
    public void LoadPublic_FixtureKey_HasKeyIdQuotedInSpec(string pem, string keyId, PemKeyAlgorithm algorithm)
    {
        var key = PemKeys.LoadPublic(pem);

        Assert.Equal(keyId, key.KeyId);
        Assert.Equal(algorithm, key.Algorithm);
    }

    [Theory]
    [MemberData(nameof(PemKeyAlgorithms.All), MemberType = typeof(PemKeyAlgorithms))]
    public void Generate_EveryAlgorithm_WritesPkcs8AndSpkiThatLoadBack(PemKeyAlgorithm algorithm)
    {
        var pair = PemKeys.Generate(algorithm, rsaKeySize: 2048);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pair.PrivateKeyPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pair.PublicKeyPem, StringComparison.Ordinal);
        var privateKey = PemKeys.LoadPrivate(pair.PrivateKeyPem);
        var publicKey = PemKeys.LoadPublic(pair.PublicKeyPem);
        Assert.Equal(algorithm, privateKey.Algorithm);
        Assert.Equal(pair.KeyId, privateKey.KeyId);
        Assert.Equal(pair.KeyId, publicKey.KeyId);
        Assert.Matches("^SHA256:[A-Za-z0-9+/]{43}$", pair.KeyId);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Generate_Ed25519_OpenSslReadsBothFilesAndDerivesTheSamePublicKey()
    {
        using var dir = new TempDirectory();
        var pair = PemKeys.Generate(PemKeyAlgorithm.Ed25519);
        var privatePath = dir.Write("key.pem", pair.PrivateKeyPem);

        var derived = ExternalTool.RunOk("openssl", "pkey", "-in", privatePath, "-pubout");

        Assert.Equal(pair.PublicKeyPem, derived);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void WriteFiles_NewPair_PrivateIsOwnerOnlyAndBothLoad()
    {
        using var dir = new TempDirectory();
        var pair = PemKeys.Generate(PemKeyAlgorithm.EcdsaP256);

        PemKeys.WriteFiles(pair, dir.File("key.pem"), dir.File("key.pub.pem"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("key.pem")));
        Assert.Equal(pair.KeyId, PemKeys.LoadPrivate(File.ReadAllText(dir.File("key.pem"))).KeyId);
        Assert.Equal(pair.KeyId, PemKeys.LoadPublic(File.ReadAllText(dir.File("key.pub.pem"))).KeyId);
    }

    [Fact]
    public void WriteFiles_ExistingFile_RefusesAndLeavesItAlone()
    {
        using var dir = new TempDirectory();
        var existing = dir.Write("key.pem", "precious");

        Assert.Throws<IOException>(() => PemKeys.WriteFiles(PemKeys.Generate(PemKeyAlgorithm.Ed25519), existing, dir.File("key.pub.pem")));

        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.False(File.Exists(dir.File("key.pub.pem")));
    }

    [Fact]
    public void Generate_RsaKeySizeTooSmall_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PemKeys.Generate(PemKeyAlgorithm.Rsa, 1024));
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [InlineData("ed25519", "genpkey", "-algorithm", "ed25519")]
    [InlineData("rsa-pkcs8", "genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048")]
    [InlineData("rsa-pkcs1", "genrsa", "-traditional", "2048")]
    [InlineData("ec-pkcs8", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-384")]
    [InlineData("ec-sec1", "ecparam", "-name", "prime256v1", "-genkey", "-noout")]
    [InlineData("ec-sec1-with-params", "ecparam", "-name", "secp521r1", "-genkey")]
    public void LoadPrivate_OpenSslKeyFormats_KeyIdMatchesOpenSslPublicKey(string name, params string[] generate)
    {
        using var dir = new TempDirectory();
        var keyPath = dir.Write($"{name}.pem", ExternalTool.RunOk("openssl", generate));
        var publicPem = ExternalTool.RunOk("openssl", "pkey", "-in", keyPath, "-pubout");

        var key = PemKeys.LoadPrivate(File.ReadAllText(keyPath));

        Assert.Equal(PemKeys.LoadPublic(publicPem).KeyId, key.KeyId);
        Assert.Equal(publicPem, key.PublicKey.ExportPem());
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [MemberData(nameof(OpenSslKeyOptions))]
    public void KeyId_RsaAndEcdsa_EqualsSshKeygenFingerprint(string algorithm, string option)
    {
        using var dir = new TempDirectory();
        var keyPath = dir.Write("key.pem", ExternalTool.RunOk("openssl", "genpkey", "-algorithm", algorithm, "-pkeyopt", option));
        var publicPath = dir.Write("pub.pem", ExternalTool.RunOk("openssl", "pkey", "-in", keyPath, "-pubout"));
        var sshPath = dir.Write("key.pub", ExternalTool.RunOk("ssh-keygen", "-i", "-m", "PKCS8", "-f", publicPath));

        var fingerprint = ExternalTool.RunOk("ssh-keygen", "-l", "-E", "sha256", "-f", sshPath).Split(' ')[1];

        Assert.Equal(fingerprint, PemKeys.LoadPrivate(File.ReadAllText(keyPath)).KeyId);
    }

    public static TheoryData<string, string> OpenSslKeyOptions => new()
    {
        { "rsa", "rsa_keygen_bits:2048" },
        { "ec", "ec_paramgen_curve:P-256" },
        { "ec", "ec_paramgen_curve:P-384" },
        { "ec", "ec_paramgen_curve:P-521" },
    };

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPublic_RsaPkcs1PublicKey_Loads()
    {
        using var dir = new TempDirectory();
        var keyPath = dir.Write("key.pem", ExternalTool.RunOk("openssl", "genrsa", "2048"));
        var pkcs1 = ExternalTool.RunOk("openssl", "rsa", "-in", keyPath, "-RSAPublicKey_out");

        var key = PemKeys.LoadPublic(pkcs1);

        Assert.StartsWith("-----BEGIN RSA PUBLIC KEY-----", pkcs1, StringComparison.Ordinal);
        Assert.Equal(PemKeys.LoadPrivate(File.ReadAllText(keyPath)).KeyId, key.KeyId);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_EncryptedPkcs8WithRightPassphrase_Loads()
    {
        var (plain, encrypted) = EncryptedKey("correct horse");

        Assert.True(PemKeys.IsEncrypted(encrypted));
        Assert.False(PemKeys.IsEncrypted(plain));
        Assert.Equal(PemKeys.LoadPrivate(plain).KeyId, PemKeys.LoadPrivate(encrypted, "correct horse").KeyId);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [InlineData("-v2", "aes-128-cbc")]
    [InlineData("-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA512")]
    [InlineData("-v2", "des3")]
    [InlineData("-v1", "PBE-SHA1-3DES")]
    [InlineData("-scrypt")]
    public void LoadPrivate_OpenSslEncryptionSchemes_DecryptWithPassphrase(params string[] scheme)
    {
        using var dir = new TempDirectory();
        var plainPath = dir.Write("key.pem", ExternalTool.RunOk("openssl", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        var encrypted = ExternalTool.RunOk(
            "openssl", ["pkcs8", "-topk8", .. scheme, "-in", plainPath, "-passout", "pass:s3cret"]);

        var key = PemKeys.LoadPrivate(encrypted, "s3cret");

        Assert.Equal(PemKeys.LoadPrivate(File.ReadAllText(plainPath)).KeyId, key.KeyId);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_ScryptKeyWithWrongPassphrase_ThrowsWrongPassphrase()
    {
        var (_, encrypted) = EncryptedKey("right", "-scrypt");

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(encrypted, "wrong"));

        Assert.Equal(PemKeyError.WrongPassphrase, error.Error);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_ScryptKeyDemandingHugeMemory_ThrowsUnsupportedWithoutDerivingTheKey()
    {
        var (_, encrypted) = EncryptedKey("pw", "-scrypt");

        // OpenSSL refuses to write N = 2^22, r = 8 (4 GiB), so raise N in the DER ourselves.
        var info = EncryptedPrivateKeyInfo.GetInstance(Convert.FromBase64String(string.Concat(
            encrypted.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))));
        var pbes2 = (Asn1Sequence)info.EncryptionAlgorithm.Parameters;
        var kdf = (Asn1Sequence)pbes2[0];
        var scrypt = (Asn1Sequence)kdf[1];
        var hostileKdf = new DerSequence(kdf[0], new DerSequence(scrypt[0], DerInteger.ValueOf(1 << 22), scrypt[2], scrypt[3]));
        var hostile = new EncryptedPrivateKeyInfo(
            new AlgorithmIdentifier(info.EncryptionAlgorithm.Algorithm, new DerSequence(hostileKdf, pbes2[1])), info.GetEncryptedData());

        var error = Assert.Throws<PemKeyException>(
            () => PemKeys.LoadPrivate(PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", hostile.GetEncoded()), "pw"));

        Assert.Equal(PemKeyError.Unsupported, error.Error);
    }

    [Fact]
    public void LoadPrivate_DotNetEncryptedPkcs8_Decrypts()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var pem = rsa.ExportEncryptedPkcs8PrivateKeyPem(
            "pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));

        var key = PemKeys.LoadPrivate(pem, "pw");

        Assert.Equal(PemKeys.LoadPublic(rsa.ExportSubjectPublicKeyInfoPem()).KeyId, key.KeyId);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_EncryptedPkcs8WithWrongPassphrase_ThrowsWrongPassphrase()
    {
        var (_, encrypted) = EncryptedKey("correct horse");

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(encrypted, "battery staple"));

        Assert.Equal(PemKeyError.WrongPassphrase, error.Error);
        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_EncryptedPkcs8WithoutPassphrase_ThrowsPassphraseRequired()
    {
        var (_, encrypted) = EncryptedKey("correct horse");

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(encrypted));

        Assert.Equal(PemKeyError.PassphraseRequired, error.Error);
    }

    [Fact]
    public void LoadPrivate_Certificate_ThrowsWrongKind()
    {
        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(SelfSignedCertificatePem()));

        Assert.Equal(PemKeyError.WrongKind, error.Error);
        Assert.Contains("certificate where a private key is expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPublic_Certificate_ThrowsWrongKind()
    {
        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPublic(SelfSignedCertificatePem()));

        Assert.Equal(PemKeyError.WrongKind, error.Error);
    }

    [Fact]
    public void LoadPrivate_PublicKey_ThrowsWrongKind()
    {
        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(FixtureKeys.Ed25519Public));

        Assert.Equal(PemKeyError.WrongKind, error.Error);
        Assert.Contains("public key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPublic_PrivateKey_ThrowsWrongKind()
    {
        var pair = PemKeys.Generate(PemKeyAlgorithm.Ed25519);

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPublic(pair.PrivateKeyPem));

        Assert.Equal(PemKeyError.WrongKind, error.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just some text")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMAMCAQE=\n-----END RSA PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nAQID\n-----END EC PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")]
    public void LoadPrivate_MalformedPem_ThrowsMalformed(string pem)
    {
        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(pem));

        Assert.Equal(PemKeyError.Malformed, error.Error);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nAQID\n-----END RSA PUBLIC KEY-----\n")]
    public void LoadPublic_MalformedDer_ThrowsMalformed(string pem)
    {
        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPublic(pem));

        Assert.Equal(PemKeyError.Malformed, error.Error);
    }

    [Fact]
    public void LoadPrivate_OversizedInput_ThrowsMalformed()
    {
        var huge = "-----BEGIN PRIVATE KEY-----\n" + new string('A', 2 * 1024 * 1024) + "\n-----END PRIVATE KEY-----\n";

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(huge));

        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_UnsupportedCurve_ThrowsUnsupported()
    {
        var pem = ExternalTool.RunOk("openssl", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1");

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(pem));

        Assert.Equal(PemKeyError.Unsupported, error.Error);
        Assert.Contains("curve", error.Message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void LoadPrivate_X25519Key_ThrowsUnsupported()
    {
        var pem = ExternalTool.RunOk("openssl", "genpkey", "-algorithm", "x25519");

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(pem));

        Assert.Equal(PemKeyError.Unsupported, error.Error);
    }

    [Fact]
    public void LoadPrivate_SigstoreEncryptedKey_ThrowsUnsupported()
    {
        const string pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";

        var error = Assert.Throws<PemKeyException>(() => PemKeys.LoadPrivate(pem));

        Assert.Equal(PemKeyError.Unsupported, error.Error);
    }

    private static string SelfSignedCertificatePem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    private static (string Plain, string Encrypted) EncryptedKey(string passphrase) => EncryptedKey(passphrase, "-v2", "aes-256-cbc");

    // An ed25519 key from openssl, and the same key as openssl pkcs8 encrypts it with the given scheme.
    private static (string Plain, string Encrypted) EncryptedKey(string passphrase, params string[] scheme)
    {
        using var dir = new TempDirectory();
        var plainPath = dir.Write("key.pem", ExternalTool.RunOk("openssl", "genpkey", "-algorithm", "ed25519"));
        var encrypted = ExternalTool.RunOk("openssl", ["pkcs8", "-topk8", .. scheme, "-in", plainPath, "-passout", $"pass:{passphrase}"]);
        return (File.ReadAllText(plainPath), encrypted);
    }
}
