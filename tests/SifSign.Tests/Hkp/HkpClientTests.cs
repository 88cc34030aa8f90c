namespace SifSign.Tests.Hkp;

public class HkpClientTests
{
    private static readonly Uri Base = new("http://keys.test:11371/");

    private static HkpClient Client(StubHandler handler) => new(new HttpClient(handler), Base);

    [Fact]
    public async Task GetKeysAsync_Fingerprint_SendsApptainerQueryAndReturnsMatchingKey()
    {
        var key = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "K", "k@example.org", string.Empty, null), DateTime.UtcNow);
        var publicKey = Keyring.PublicPart(key);
        var armored = Encoding.ASCII.GetString(KeyFile.Encode([publicKey], armor: true));
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, armored));
        var fingerprint = KeyIdentity.Fingerprint(publicKey.GetPublicKey());

        var keys = await Client(handler).GetKeysAsync(fingerprint, CancellationToken.None);

        Assert.Equal(fingerprint, KeyIdentity.Fingerprint(Assert.Single(keys).GetPublicKey()));
        Assert.Equal($"/pks/lookup?exact=on&op=get&search=0x{fingerprint.ToLowerInvariant()}", Assert.Single(handler.Requests).Uri.PathAndQuery);
    }

    [Fact]
    public async Task GetKeysAsync_ServerReturnsOtherKey_DropsIt()
    {
        var other = KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "O", "o@example.org", string.Empty, null), DateTime.UtcNow);
        var armored = Encoding.ASCII.GetString(KeyFile.Encode([Keyring.PublicPart(other)], armor: true));
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, armored));

        var keys = await Client(handler).GetKeysAsync(new string('A', 40), CancellationToken.None);

        Assert.Empty(keys);
    }

    [Fact]
    public async Task GetKeysAsync_NotFound_ReturnsEmpty()
    {
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.NotFound, "Not found"));

        Assert.Empty(await Client(handler).GetKeysAsync("7FF7BA84", CancellationToken.None));
    }

    [Fact]
    public async Task GetKeysAsync_GarbageBody_ThrowsKeyringException()
    {
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, "<html>oops</html>"));

        await Assert.ThrowsAsync<KeyringException>(() => Client(handler).GetKeysAsync("7FF7BA84", CancellationToken.None));
    }

    [Fact]
    public async Task GetKeysAsync_ServerError_ThrowsWithStatusAndJsonMessage()
    {
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.InternalServerError, "{\"error\":{\"code\":500,\"message\":\"database down\"}}"));

        var e = await Assert.ThrowsAsync<HkpException>(() => Client(handler).GetKeysAsync("7FF7BA84", CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Contains("database down", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_HexTerm_PrefixesAndFollowsPages()
    {
        var handler = new StubHandler(request => request.RequestUri!.Query.Contains("x-pagetoken=p2", StringComparison.Ordinal)
            ? StubHandler.Text(HttpStatusCode.OK, "info:1:1\npub:0123456789ABCDEF0123456789ABCDEF01234567:22:256:1700000000::\n")
            : StubHandler.Text(HttpStatusCode.OK, "info:1:1\npub:65667554D3245D8304B1F45B01B4B5A517F56CA4:1:4096:1795591942::\nuid:Test%20User:::\n", "p2"));

        var entries = await Client(handler).SearchAsync("65667554D3245D8304B1F45B01B4B5A517F56CA4", CancellationToken.None);

        Assert.Equal(2, entries.Count);
        Assert.Equal(
            "/pks/lookup?fingerprint=on&op=index&options=mr&search=0x65667554D3245D8304B1F45B01B4B5A517F56CA4&x-pagesize=256",
            handler.Requests[0].Uri.PathAndQuery);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task SearchAsync_TextTerm_IsEscapedNotPrefixed()
    {
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.NotFound, string.Empty));

        var entries = await Client(handler).SearchAsync("test user+x@example.org", CancellationToken.None);

        Assert.Empty(entries);
        Assert.Contains("search=test%20user%2Bx%40example.org&", handler.Requests[0].Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_ServerRepeatsPageToken_StopsInsteadOfLooping()
    {
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, "pub:7FF7BA84:1:2048::\n", "same"));

        var entries = await Client(handler).SearchAsync("x", CancellationToken.None);

        Assert.Equal(2, entries.Count);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task SearchAsync_MalformedIndex_ThrowsHkpException()
    {
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, "info:1:5\npub:7FF7BA84:1:2048::\n"));

        var e = await Assert.ThrowsAsync<HkpException>(() => Client(handler).SearchAsync("x", CancellationToken.None));

        Assert.Contains("malformed index", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_Key_PostsFormWithArmoredKeytext()
    {
        var key = Keyring.PublicPart(KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "P", "p@example.org", string.Empty, null), DateTime.UtcNow));
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, "Key added\n"));

        var response = await Client(handler).PushAsync(key, CancellationToken.None);

        Assert.Equal("Key added", response);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/pks/add", request.Uri.AbsolutePath);
        Assert.StartsWith("keytext=-----BEGIN+PGP+PUBLIC+KEY+BLOCK-----", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_Unauthorized_SaysSo()
    {
        var key = Keyring.PublicPart(KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, "P", "p@example.org", string.Empty, null), DateTime.UtcNow));
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.Unauthorized, string.Empty));

        var e = await Assert.ThrowsAsync<HkpException>(() => Client(handler).PushAsync(key, CancellationToken.None));

        Assert.Contains("unauthorized or missing token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyRequest_ServerDown_ThrowsHkpExceptionNamingServer()
    {
        var handler = new StubHandler(_ => throw new HttpRequestException("Connection refused"));

        var e = await Assert.ThrowsAsync<HkpException>(() => Client(handler).SearchAsync("x", CancellationToken.None));

        Assert.Contains("cannot reach keyserver http://keys.test:11371/", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyRequest_OversizedAnswer_IsRefused()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new RepeatingStream((long)HkpClient.MaxResponseBytes + 1)),
        });

        var e = await Assert.ThrowsAsync<HkpException>(() => Client(handler).SearchAsync("x", CancellationToken.None));

        Assert.Contains("larger than", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream of 'A's with no declared length, so the client must count as it reads.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Fill(buffer, (byte)'A', offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
