namespace SifSign.Tests.Dsse;

public sealed class DsseEnvelopeVerifierTests
{
    private static readonly PemSigningKey Key = PemKeys.LoadPrivate(PemKeys.Generate(PemKeyAlgorithm.Ed25519).PrivateKeyPem);

    [Fact]
    public void Verify_GoodEnvelope_ReturnsMetadata()
    {
        var envelope = DsseSigner.SignSifMetadata("{\"version\":1}"u8.ToArray(), Key).Serialize();

        var payload = new DsseEnvelopeVerifier([Key.PublicKey]).Verify(envelope);

        Assert.Equal("{\"version\":1}", Encoding.UTF8.GetString(payload));
    }

    [Theory]
    [InlineData("""{"payloadType":"application/vnd.sylabs.sif-metadata+json","payload":"e30=","signatures":[]}""", "zero signatures")]
    [InlineData("""{"payloadType":"application/vnd.sylabs.sif-metadata+json","payload":"e30=","signatures":[{"sig":"@@"}]}""", "not valid base64")]
    [InlineData("""{"payloadType":"application/vnd.sylabs.sif-metadata+json","payload":"e30=","signatures":[{"sig":"AAAA"}]}""", "accepted signatures do not match threshold")]
    [InlineData("""{"payloadType":"application/vnd.apptainer.sif-metadata+json","payload":"e30=","signatures":[{"sig":"AAAA"}]}""", "unexpected payload type")]
    public void Verify_BadEnvelope_ThrowsIntegrityExceptionWithCause(string json, string cause)
    {
        var error = Assert.Throws<IntegrityException>(() => new DsseEnvelopeVerifier([Key.PublicKey]).Verify(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
    }
}
