namespace SifSign.Tests.Dsse;

public sealed class PaeTests
{
    [Fact]
    public void Encode_DsseSpecExample_MatchesSpecBytes()
    {
        // The worked example of the DSSE protocol specification.
        var pae = Pae.Encode("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.ASCII.GetString(pae));
    }

    [Fact]
    public void Encode_EmptyPayload_WritesZeroLength()
    {
        Assert.Equal("DSSEv1 1 t 0 ", Encoding.ASCII.GetString(Pae.Encode("t", [])));
    }

    [Fact]
    public void Encode_MultiByteTypeAndBinaryPayload_CountsBytesNotCharacters()
    {
        var pae = Pae.Encode("é", new byte[] { 0, 255 });

        Assert.Equal("DSSEv1 2 "u8.ToArray().Concat("é"u8.ToArray()).Concat(" 2 "u8.ToArray()).Concat(new byte[] { 0, 255 }), pae);
    }
}
