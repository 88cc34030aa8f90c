namespace SifSign.Tests.Pki;

public sealed class CertificateChainValidatorTests : IDisposable
{
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;
    private readonly CertificateChainValidator _validator = new();

    public CertificateChainValidatorTests() => _intermediate = _root.CreateIntermediate();

    [Fact]
    public void Validate_ValidChain_ReturnsChainAndLeafKeyThatVerifiesLeafSignatures()
    {
        var (leaf, privatePem) = _intermediate.IssueLeaf();
        var envelope = DsseSigner.SignSifMetadata("{}"u8.ToArray(), PemKeys.LoadPrivate(privatePem));

        var result = _validator.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]);

        Assert.Equal([leaf.Subject, _intermediate.Certificate.Subject, _root.Certificate.Subject], result.Chain.Select(c => c.Subject));
        Assert.Equal(PemKeys.LoadPrivate(privatePem).KeyId, result.LeafKey.KeyId);
        Assert.Single(DsseVerifier.VerifySifMetadata(envelope, [result.LeafKey]).AcceptedKeys);
    }

    [Fact]
    public void Validate_LeafWithoutEkuExtension_IsUnrestricted()
    {
        var (leaf, _) = _intermediate.IssueLeaf(noEku: true);

        var result = _validator.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]);

        Assert.Equal(3, result.Chain.Count);
    }

    [Fact]
    public void Validate_LeafWithServerAuthOnly_ThrowsIncompatibleKeyUsage()
    {
        var (leaf, _) = _intermediate.IssueLeaf(ekus: [TestCertificateAuthority.ServerAuth]);

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]));

        Assert.Contains("incompatible key usage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IntermediateRestrictedToServerAuth_ThrowsIncompatibleKeyUsage()
    {
        using var restricted = _root.CreateIntermediate("CN=Web Only", ekus: [TestCertificateAuthority.ServerAuth]);
        var (leaf, _) = restricted.IssueLeaf();

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [restricted.Certificate], [_root.Certificate]));

        Assert.Contains("incompatible key usage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExpiredLeaf_ThrowsExpired()
    {
        var (leaf, _) = _intermediate.IssueLeaf(notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]));

        Assert.Contains("CN=Test Signer", error.Message, StringComparison.Ordinal);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotYetValidLeaf_ThrowsNotYetValid()
    {
        var (leaf, _) = _intermediate.IssueLeaf(notBefore: DateTimeOffset.UtcNow.AddDays(2), notAfter: DateTimeOffset.UtcNow.AddDays(30));

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]));

        Assert.Contains("not yet valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValidityCheckedAgainstInjectedClock()
    {
        var (leaf, _) = _intermediate.IssueLeaf(notAfter: DateTimeOffset.UtcNow.AddDays(10));
        var later = new CertificateChainValidator(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(20)));

        var error = Assert.Throws<CertificateException>(() => later.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]));

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UntrustedRoot_ThrowsUnknownAuthority()
    {
        using var otherRoot = TestCertificateAuthority.CreateRoot("CN=Other Root");
        var (leaf, _) = _intermediate.IssueLeaf();

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [_intermediate.Certificate], [otherRoot.Certificate]));

        Assert.Contains("unknown authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SystemRootsForPrivateChain_ThrowsUnknownAuthority()
    {
        var (leaf, _) = _intermediate.IssueLeaf();

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [_intermediate.Certificate], roots: null));

        Assert.Contains("unknown authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingIntermediate_ThrowsUnknownAuthority()
    {
        var (leaf, _) = _intermediate.IssueLeaf();

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [], [_root.Certificate]));

        Assert.Contains("unknown authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IntermediatePassedAsRoot_IsTrustedAsAnchor()
    {
        // Apptainer (Go) treats every certificate in the roots file as an anchor, by design (sif.md §8.7).
        var (leaf, _) = _intermediate.IssueLeaf();

        var result = _validator.Validate(leaf, [], [_intermediate.Certificate]);

        Assert.Equal([leaf.Subject, _intermediate.Certificate.Subject], result.Chain.Select(c => c.Subject));
    }

    [Fact]
    public void Validate_IntermediateAsRootWithServerAuthLeaf_ThrowsIncompatibleKeyUsage()
    {
        var (leaf, _) = _intermediate.IssueLeaf(ekus: [TestCertificateAuthority.ServerAuth]);

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [], [_intermediate.Certificate]));

        Assert.Contains("incompatible key usage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IntermediateAsRootWithExpiredLeaf_ThrowsExpired()
    {
        var (leaf, _) = _intermediate.IssueLeaf(notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        var error = Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [], [_intermediate.Certificate]));

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LeafSignedByOtherKeyUnderSameName_ThrowsEvenWithPartialAnchor()
    {
        using var impostor = _root.CreateIntermediate();
        var (leaf, _) = impostor.IssueLeaf();

        Assert.Throws<CertificateException>(() => _validator.Validate(leaf, [], [_intermediate.Certificate]));
    }

    [Fact]
    public void Validate_AnyExtendedKeyUsageLeaf_IsAccepted()
    {
        var (leaf, _) = _intermediate.IssueLeaf(ekus: ["2.5.29.37.0"]);

        var result = _validator.Validate(leaf, [_intermediate.Certificate], [_root.Certificate]);

        Assert.Equal(3, result.Chain.Count);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Validate_ApptainerShapedChainMadeByOpenSsl_VerifiesWithRsaLeafKey()
    {
        // Apptainer's test chain (sif.md §3.5): Ed25519 root, ECDSA P-256 intermediate, RSA leaf with codeSigning.
        using var dir = new TempDirectory();
        var ext = dir.Write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        var leafExt = dir.Write("leaf.ext", "keyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        ExternalTool.RunOk("openssl", "genpkey", "-algorithm", "ed25519", "-out", dir.File("root.key"));
        ExternalTool.RunOk(
            "openssl", "req", "-x509", "-new", "-key", dir.File("root.key"), "-subj", "/CN=Ed25519 Root", "-days", "30",
            "-out", dir.File("root.pem"), "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            "-addext", "subjectKeyIdentifier=hash");
        Issue(dir, "int", "ec", "ec_paramgen_curve:P-256", "/CN=P-256 Intermediate", "root", ext, "2");
        Issue(dir, "leaf", "rsa", "rsa_keygen_bits:2048", "/CN=RSA Leaf", "int", leafExt, "3");
        var leafKey = PemKeys.LoadPrivate(File.ReadAllText(dir.File("leaf.key")));
        var envelope = DsseSigner.SignSifMetadata("{}"u8.ToArray(), leafKey);

        var result = _validator.Validate(
            PemCertificates.LoadLeaf(File.ReadAllText(dir.File("leaf.pem"))),
            PemCertificates.LoadPool(File.ReadAllText(dir.File("int.pem"))),
            PemCertificates.LoadPool(File.ReadAllText(dir.File("root.pem"))));

        Assert.Equal(["CN=RSA Leaf", "CN=P-256 Intermediate", "CN=Ed25519 Root"], result.Chain.Select(c => c.Subject));
        Assert.Equal(PemKeyAlgorithm.Rsa, result.LeafKey.Algorithm);
        Assert.Single(DsseVerifier.VerifySifMetadata(envelope, [result.LeafKey]).AcceptedKeys);
    }

    [Fact]
    public void PemCertificates_LeafFileWithSeveralBlocks_TakesTheFirst()
    {
        var (leaf, _) = _intermediate.IssueLeaf();
        var pem = leaf.ExportCertificatePem() + "\n" + _intermediate.Certificate.ExportCertificatePem();

        Assert.Equal(leaf.Thumbprint, PemCertificates.LoadLeaf(pem).Thumbprint);
        Assert.Equal(2, PemCertificates.LoadPool(pem).Count);
    }

    [Theory]
    [InlineData("not pem at all", "failed to decode PEM")]
    [InlineData("-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n", "failed to decode PEM")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n", "failed to parse certificate")]
    [InlineData(FixtureKeys.Ed25519Public, "expected a CERTIFICATE block, found PUBLIC KEY")]
    public void PemCertificates_BadInput_ThrowsWithReason(string pem, string reason)
    {
        var leafError = Assert.Throws<CertificateException>(() => PemCertificates.LoadLeaf(pem));
        var poolError = Assert.Throws<CertificateException>(() => PemCertificates.LoadPool(pem));

        Assert.Contains(reason, leafError.Message, StringComparison.Ordinal);
        Assert.Contains(reason, poolError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PemCertificates_PoolWithOneBadBlock_Throws()
    {
        var pem = _root.Certificate.ExportCertificatePem() + "\n" + FixtureKeys.RsaPublic;

        Assert.Throws<CertificateException>(() => PemCertificates.LoadPool(pem));
        Assert.Equal(_root.Certificate.Thumbprint, PemCertificates.LoadLeaf(pem).Thumbprint);
    }

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
    }

    private static void Issue(TempDirectory dir, string name, string algorithm, string option, string subject, string issuer, string extFile, string serial)
    {
        ExternalTool.RunOk("openssl", "genpkey", "-algorithm", algorithm, "-pkeyopt", option, "-out", dir.File($"{name}.key"));
        ExternalTool.RunOk("openssl", "req", "-new", "-key", dir.File($"{name}.key"), "-subj", subject, "-out", dir.File($"{name}.csr"));
        ExternalTool.RunOk(
            "openssl", "x509", "-req", "-in", dir.File($"{name}.csr"), "-CA", dir.File($"{issuer}.pem"), "-CAkey", dir.File($"{issuer}.key"),
            "-set_serial", serial, "-days", "30", "-extfile", extFile, "-out", dir.File($"{name}.pem"));
    }
}
