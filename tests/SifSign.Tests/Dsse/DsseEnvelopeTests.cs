namespace SifSign.Tests.Dsse;

public sealed class DsseEnvelopeTests
{
    private const string Metadata = """{"version":1,"header":{"digest":"sha256:00"},"objects":[]}""";

    [Fact]
    public void Serialize_OneSignature_IsGoJsonMarshalLayout()
    {
        var envelope = new DsseEnvelope(
            DsseEnvelope.SifMetadataPayloadType,
            Encoding.UTF8.GetBytes(Metadata),
            [new DsseSignature("SHA256:abc+/", new byte[] { 1, 2, 3, 251 })]);

        var json = Encoding.UTF8.GetString(envelope.Serialize());

        Assert.Equal(
            "{\"payloadType\":\"application/vnd.sylabs.sif-metadata+json\",\"payload\":\""
            + Convert.ToBase64String(Encoding.UTF8.GetBytes(Metadata))
            + "\",\"signatures\":[{\"keyid\":\"SHA256:abc+/\",\"sig\":\"AQID+w==\"}]}",
            json);
    }

    [Fact]
    public void Serialize_TwoSignaturesAndHtmlCharacters_EscapesAsGoDoes()
    {
        var envelope = new DsseEnvelope(
            "a<b>&\"c\"\n",
            "x"u8.ToArray(),
            [new DsseSignature("k1", new byte[] { 1 }), new DsseSignature(string.Empty, new byte[] { 2 })]);

        var json = Encoding.UTF8.GetString(envelope.Serialize());

        Assert.Equal(
            "{\"payloadType\":\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\",\"payload\":\"eA==\",\"signatures\":[{\"keyid\":\"k1\",\"sig\":\"AQ==\"},{\"keyid\":\"\",\"sig\":\"Ag==\"}]}",
            json);
    }

    [Fact]
    public void Parse_SerializedEnvelope_RoundTrips()
    {
        var original = new DsseEnvelope(
            DsseEnvelope.SifMetadataPayloadType,
            Encoding.UTF8.GetBytes(Metadata),
            [new DsseSignature("SHA256:k", new byte[] { 9, 8, 7 })]);

        var parsed = DsseEnvelope.Parse(original.Serialize());

        Assert.Equal(original.PayloadType, parsed.PayloadType);
        Assert.Equal(Metadata, Encoding.UTF8.GetString(parsed.Payload.Span));
        Assert.Equal("SHA256:k", Assert.Single(parsed.Signatures).KeyId);
        Assert.Equal(new byte[] { 9, 8, 7 }, parsed.Signatures[0].Signature.ToArray());
        Assert.Equal(original.Serialize(), parsed.Serialize());
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("  \n\n")]
    public void Parse_TrailingWhitespace_IsTolerated(string trailer)
    {
        var json = """{"payloadType":"t","payload":"eA==","signatures":[{"keyid":"","sig":"AQ=="}]}""" + trailer;

        var envelope = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("x", Encoding.UTF8.GetString(envelope.Payload.Span));
    }

    [Fact]
    public void Parse_UrlSafeBase64_IsDecoded()
    {
        // 0xfb 0xff encodes as "-_8" URL-safe (standard: "+/8="); the payload has no padding either.
        var json = """{"payloadType":"t","payload":"-_8","signatures":[{"keyid":"","sig":"-_8="}]}""";

        var envelope = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(new byte[] { 0xfb, 0xff }, envelope.Payload.ToArray());
        Assert.Equal(new byte[] { 0xfb, 0xff }, envelope.Signatures[0].Signature.ToArray());
    }

    [Fact]
    public void Parse_FieldNamesInOtherCaseAndUnknownFields_AreAcceptedAsGoDoes()
    {
        var json = """{"PAYLOADTYPE":"t","Payload":"eA==","extra":[1,2],"Signatures":[{"KeyID":"k","Sig":"AQ==","x":null}]}""";

        var envelope = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("t", envelope.PayloadType);
        Assert.Equal("k", envelope.Signatures[0].KeyId);
    }

    [Fact]
    public void Parse_MissingKeyId_IsEmpty()
    {
        var envelope = DsseEnvelope.Parse("""{"payloadType":"t","payload":"","signatures":[{"sig":"AQ=="}]}"""u8);

        Assert.Equal(string.Empty, envelope.Signatures[0].KeyId);
        Assert.True(envelope.Payload.IsEmpty);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":[]}""", "zero signatures")]
    [InlineData("""{"payloadType":"t","payload":"eA=="}""", "no signatures array")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":{}}""", "no signatures array")]
    [InlineData("""{"payload":"eA==","signatures":[{"sig":"AQ=="}]}""", "no payloadType")]
    [InlineData("""{"payloadType":7,"payload":"eA==","signatures":[{"sig":"AQ=="}]}""", "payloadType is not a string")]
    [InlineData("""{"payloadType":"t","signatures":[{"sig":"AQ=="}]}""", "no payload")]
    [InlineData("""{"payloadType":"t","payload":"%%%garbage%%%","signatures":[{"sig":"AQ=="}]}""", "payload is not valid base64")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":[{"sig":"!!"}]}""", "sig is not valid base64")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":[{"sig":"a+b_"}]}""", "sig is not valid base64")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":[{"sig":""}]}""", "is empty")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":[{"keyid":1,"sig":"AQ=="}]}""", "keyid is not a string")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":["AQ=="]}""", "is not a JSON object")]
    [InlineData("""{"payloadType":"t","payload":"eA==","signatures":[{"sig":"AQ=="}]} trailing""", "not valid JSON")]
    public void Parse_HostileInput_ThrowsFormatExceptionWithReason(string json, string reason)
    {
        var error = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeeplyNestedJson_ThrowsFormatException()
    {
        var json = """{"payloadType":"t","payload":"eA==","signatures":[{"sig":"AQ=="}],"x":""" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_Oversized_ThrowsFormatException()
    {
        var error = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(new byte[DsseEnvelope.MaxLength + 1]));

        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoSignatures_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DsseEnvelope("t", Array.Empty<byte>(), []));
    }
}
