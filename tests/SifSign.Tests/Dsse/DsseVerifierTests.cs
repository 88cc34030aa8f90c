namespace SifSign.Tests.Dsse;

public sealed class DsseVerifierTests
{
    private static readonly byte[] Metadata = Encoding.UTF8.GetBytes("""{"version":1,"header":{"digest":"sha256:00"},"objects":[]}""");
    private static readonly PemSigningKey Ed = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.Ed25519).PrivateKeyPem);
    private static readonly PemSigningKey Ec = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.EcdsaP256).PrivateKeyPem);

    [Fact]
    public void Verify_WrongPayloadType_Throws()
    {
        var envelope = DsseSigner.Sign("application/vnd.apptainer.sif-metadata+json", Metadata, [Ed]);

        var error = Assert.Throws<DsseVerificationException>(() => DsseVerifier.VerifySifMetadata(envelope, [Ed.PublicKey]));

        Assert.Contains("unexpected payload type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OtherKey_FailsThreshold()
    {
        var envelope = DsseSigner.SignSifMetadata(Metadata, Ed);

        var error = Assert.Throws<DsseVerificationException>(() => DsseVerifier.VerifySifMetadata(envelope, [Ec.PublicKey]));

        Assert.Contains("accepted signatures do not match threshold, Found: 0, Expected 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoKeys_FailsThreshold()
    {
        var envelope = DsseSigner.SignSifMetadata(Metadata, Ed);

        Assert.Throws<DsseVerificationException>(() => DsseVerifier.VerifySifMetadata(envelope, []));
    }

    [Fact]
    public void Verify_TamperedPayload_Fails()
    {
        var signed = DsseSigner.SignSifMetadata(Metadata, Ed);
        var tampered = new DsseEnvelope(signed.PayloadType, Encoding.UTF8.GetBytes("""{"version":2}"""), signed.Signatures);

        Assert.Throws<DsseVerificationException>(() => DsseVerifier.VerifySifMetadata(tampered, [Ed.PublicKey]));
    }

    [Fact]
    public void Verify_GarbageSignatureBytes_FailsWithoutCrash()
    {
        var signed = DsseSigner.SignSifMetadata(Metadata, Ec);
        var garbage = new DsseEnvelope(signed.PayloadType, signed.Payload, [new DsseSignature(Ec.KeyId, new byte[] { 0x30, 0x99, 1, 2 })]);

        Assert.Throws<DsseVerificationException>(() => DsseVerifier.VerifySifMetadata(garbage, [Ec.PublicKey]));
    }

    [Fact]
    public void Verify_KeyIdDiffersFromKey_PairIsSkipped()
    {
        var signed = DsseSigner.SignSifMetadata(Metadata, Ed);
        var relabelled = new DsseEnvelope(signed.PayloadType, signed.Payload, [new DsseSignature(Ec.KeyId, signed.Signatures[0].Signature)]);

        // The signature is good for Ed, but its key ID names another key, so §3.4 never tries Ed.
        Assert.Throws<DsseVerificationException>(() => DsseVerifier.VerifySifMetadata(relabelled, [Ed.PublicKey]));
    }

    [Fact]
    public void Verify_EmptyKeyId_TriesEveryKey()
    {
        var signed = DsseSigner.SignSifMetadata(Metadata, Ed);
        var anonymous = new DsseEnvelope(signed.PayloadType, signed.Payload, [new DsseSignature(string.Empty, signed.Signatures[0].Signature)]);

        var result = DsseVerifier.VerifySifMetadata(anonymous, [Ec.PublicKey, Ed.PublicKey]);

        Assert.Same(Ed.PublicKey, Assert.Single(result.AcceptedKeys));
    }

    [Fact]
    public void Verify_TwoSignaturesOneKnownKey_SucceedsWithThatKey()
    {
        var envelope = DsseSigner.Sign(DsseEnvelope.SifMetadataPayloadType, Metadata, [Ed, Ec]);

        var result = DsseVerifier.VerifySifMetadata(envelope, [Ec.PublicKey]);

        Assert.Same(Ec.PublicKey, Assert.Single(result.AcceptedKeys));
    }

    [Fact]
    public void Verify_TwoSignaturesBothKeys_AcceptsEachKeyOnce()
    {
        var envelope = DsseSigner.Sign(DsseEnvelope.SifMetadataPayloadType, Metadata, [Ed, Ec]);

        var result = DsseVerifier.VerifySifMetadata(envelope, [Ec.PublicKey, Ed.PublicKey]);

        Assert.Equal(2, result.AcceptedKeys.Count);
    }

    [Fact]
    public void Verify_EnvelopeWithTrailingNewline_Verifies()
    {
        var bytes = DsseSigner.SignSifMetadata(Metadata, Ed).Serialize().Concat("\n"u8.ToArray()).ToArray();

        var result = DsseVerifier.VerifySifMetadata(DsseEnvelope.Parse(bytes), [Ed.PublicKey]);

        Assert.Equal(Metadata, result.Payload.ToArray());
    }
}
