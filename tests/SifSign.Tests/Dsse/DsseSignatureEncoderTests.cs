namespace SifSign.Tests.Dsse;

/// <summary>DSSE signing and verification of a real reference image through the shared SIF signer/verifier.</summary>
public sealed class DsseSignatureEncoderTests
{
    private const string ReferenceImages = "/usr/share/gocode/src/github.com/sylabs/sif/test/images";

    [Theory]
    [InlineData(PemKeyAlgorithm.Ed25519)]
    [InlineData(PemKeyAlgorithm.Rsa)]
    [InlineData(PemKeyAlgorithm.EcdsaP256)]
    public void SignThenVerify_ReferenceImage_VerifiesWithThePublicKey(PemKeyAlgorithm algorithm)
    {
        using var dir = new TempDirectory();
        var image = CopyImage(dir, "one-group.sif");
        var pair = PemKeys.Generate(algorithm, rsaKeySize: 2048);

        var added = ImageSigner.Sign(image, new DsseSignatureEncoder(PemKeys.LoadPrivate(pair.PrivateKeyPem)), new SignOptions());
        var result = Verify(image, PemKeys.LoadPublic(pair.PublicKeyPem));

        Assert.True(result.Verified, result.Error?.ToString());
        var signature = Assert.Single(added);
        var (hashType, fingerprint) = signature.GetSignatureMetadata();
        Assert.Equal(SifHashType.Sha256, hashType);
        Assert.Null(fingerprint);
        var check = Assert.Single(result.Signatures);
        Assert.Equal(SignatureFormat.Dsse, check.Format);
        Assert.Equal([1u, 2u], check.VerifiedObjects.Select(o => o.Id));
    }

    [Fact]
    public void SignatureObject_IsEnvelopeOverImageMetadata()
    {
        using var dir = new TempDirectory();
        var image = CopyImage(dir, "one-group.sif");
        var key = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.Ed25519).PrivateKeyPem);

        var descriptor = ImageSigner.Sign(image, new DsseSignatureEncoder(key), new SignOptions()).Single();

        using var sif = SifImage.Open(image);
        using var stream = sif.OpenObject(descriptor);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var envelope = DsseEnvelope.Parse(buffer.ToArray());
        Assert.Equal(buffer.ToArray(), envelope.Serialize());
        Assert.Equal(key.KeyId, envelope.Signatures.Single().KeyId);
        Assert.Equal(ImageMetadata.Build(sif, 1, [1, 2]), envelope.Payload.ToArray());
    }

    [Fact]
    public void Verify_OtherKey_SignatureNotValidWithDsseCause()
    {
        using var dir = new TempDirectory();
        var image = CopyImage(dir, "one-group.sif");
        ImageSigner.Sign(image, new DsseSignatureEncoder(PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.Ed25519).PrivateKeyPem)), new SignOptions());

        var result = Verify(image, PemKeys.LoadPublic(PemKeys.Generate(PemKeyAlgorithm.Ed25519).PublicKeyPem));

        Assert.False(result.Verified);
        Assert.Equal(IntegrityErrorKind.SignatureNotValid, result.Error?.Kind);
        Assert.Contains("dsse: verify envelope failed: accepted signatures do not match threshold", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ObjectDataChangedAfterSigning_ObjectIntegrityCompromised()
    {
        using var dir = new TempDirectory();
        var image = CopyImage(dir, "one-group.sif");
        var pair = PemKeys.Generate(PemKeyAlgorithm.EcdsaP256);
        ImageSigner.Sign(image, new DsseSignatureEncoder(PemKeys.LoadPrivate(pair.PrivateKeyPem)), new SignOptions());
        long offset;
        using (var sif = SifImage.Open(image))
        {
            offset = sif.Descriptors.Single(d => d.Id == 2).Offset;
        }

        using (var file = File.Open(image, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = offset;
            var b = file.ReadByte();
            file.Position = offset;
            file.WriteByte((byte)(b ^ 0xff));
        }

        var result = Verify(image, PemKeys.LoadPublic(pair.PublicKeyPem));

        Assert.False(result.Verified);
        Assert.Equal(IntegrityErrorKind.ObjectIntegrity, result.Error?.Kind);
    }

    private static VerifyResult Verify(string image, PemVerificationKey key) =>
        ImageVerifier.Verify(image, new VerifyOptions { Envelope = new DsseEnvelopeVerifier([key]) }, keys: null);

    private static string CopyImage(TempDirectory dir, string name)
    {
        var target = dir.File(name);
        File.Copy(Path.Combine(ReferenceImages, name), target);
        return target;
    }
}
