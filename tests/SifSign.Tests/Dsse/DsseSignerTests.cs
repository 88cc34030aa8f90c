namespace SifSign.Tests.Dsse;

public sealed class DsseSignerTests
{
    private static readonly byte[] Metadata =
        Encoding.UTF8.GetBytes("""{"version":1,"header":{"digest":"sha256:a18d8228cd6f87e7fc3559bdf6bf2e32b3663c1b1107ffddcad06f6c2a15598e"},"objects":[]}""");

    [Trait(TestCategories.Category, TestCategories.External)]
    [Theory]
    [MemberData(nameof(PemKeyAlgorithms.All), MemberType = typeof(PemKeyAlgorithms))]
    public void SignSifMetadata_EveryKeyType_VerifiesHereAndWithOpenSsl(PemKeyAlgorithm algorithm)
    {
        var pair = PemKeys.Generate(algorithm, rsaKeySize: 2048);
        var key = PemKeys.LoadPrivate(pair.PrivateKeyPem);

        var envelope = DsseEnvelope.Parse(DsseSigner.SignSifMetadata(Metadata, key).Serialize());

        Assert.Equal(DsseEnvelope.SifMetadataPayloadType, envelope.PayloadType);
        var signature = Assert.Single(envelope.Signatures);
        Assert.Equal(pair.KeyId, signature.KeyId);
        var result = DsseVerifier.VerifySifMetadata(envelope, [PemKeys.LoadPublic(pair.PublicKeyPem)]);
        Assert.Equal(Metadata, result.Payload.ToArray());
        AssertOpenSslVerifies(algorithm, pair.PublicKeyPem, Pae.Encode(envelope.PayloadType, Metadata), signature.Signature.ToArray());
    }

    [Fact]
    public void Sign_Rsa_IsPkcs1V15WithModulusLength()
    {
        var key = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.Rsa, rsaKeySize: 2048).PrivateKeyPem);

        var envelope = DsseSigner.SignSifMetadata(Metadata, key);

        // PKCS#1 v1.5 is deterministic: signing twice gives the same bytes (PSS would not).
        Assert.Equal(256, envelope.Signatures[0].Signature.Length);
        Assert.Equal(envelope.Signatures[0].Signature.ToArray(), DsseSigner.SignSifMetadata(Metadata, key).Signatures[0].Signature.ToArray());
    }

    [Fact]
    public void Sign_Ed25519_IsPureEd25519OverPae()
    {
        var pair = PemKeys.Generate(PemKeyAlgorithm.Ed25519);
        var key = PemKeys.LoadPrivate(pair.PrivateKeyPem);

        var signature = DsseSigner.SignSifMetadata(Metadata, key).Signatures[0].Signature.ToArray();

        Assert.Equal(64, signature.Length);
        Assert.True(key.PublicKey.Verify(Pae.Encode(DsseEnvelope.SifMetadataPayloadType, Metadata), signature));
    }

    [Fact]
    public void Sign_TwoKeys_OneSignatureEachInKeyOrder()
    {
        var ed = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.Ed25519).PrivateKeyPem);
        var ec = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.EcdsaP256).PrivateKeyPem);

        var envelope = DsseSigner.Sign(DsseEnvelope.SifMetadataPayloadType, Metadata, [ed, ec]);

        Assert.Equal([ed.KeyId, ec.KeyId], envelope.Signatures.Select(s => s.KeyId));
    }

    [Fact]
    public void Sign_NoKeys_Throws()
    {
        Assert.Throws<ArgumentException>(() => DsseSigner.Sign("t", Metadata, []));
    }

    private static void AssertOpenSslVerifies(PemKeyAlgorithm algorithm, string publicPem, byte[] pae, byte[] signature)
    {
        using var dir = new TempDirectory();
        var publicPath = dir.Write("pub.pem", publicPem);
        var paePath = dir.Write("pae.bin", pae);
        var signaturePath = dir.Write("sig.bin", signature);

        var output = algorithm == PemKeyAlgorithm.Ed25519
            ? ExternalTool.RunOk("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicPath, "-rawin", "-in", paePath, "-sigfile", signaturePath)
            : ExternalTool.RunOk("openssl", "dgst", "-sha256", "-verify", publicPath, "-signature", signaturePath, paePath);

        Assert.Contains("Verified", output, StringComparison.OrdinalIgnoreCase);

        // The same check must fail on a modified PAE, or the command proves nothing.
        pae[^1] ^= 1;
        dir.Write("pae.bin", pae);
        var (exitCode, _) = algorithm == PemKeyAlgorithm.Ed25519
            ? ExternalTool.Run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicPath, "-rawin", "-in", paePath, "-sigfile", signaturePath)
            : ExternalTool.Run("openssl", "dgst", "-sha256", "-verify", publicPath, "-signature", signaturePath, paePath);
        Assert.NotEqual(0, exitCode);
    }
}
