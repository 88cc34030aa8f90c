using Microsoft.AspNetCore.Http;

namespace Keyserver.Web.Tests.Hkp;

public class AddRequestReaderTests
{
    private const int Limit = 64 * 1024;

    // A short armor with the characters that matter: '+', '/', '=', '-', spaces and newlines.
    private const string Armor =
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxsFN+ab/cd==\n=u1A1\n-----END PGP PUBLIC KEY BLOCK-----\n";

    private static async Task<AddBody> ReadAsync(byte[] body, string? contentType, long? contentLength = null, int limit = Limit)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = contentLength ?? body.Length;
        context.Request.Body = new MemoryStream(body);
        return await AddRequestReader.ReadAsync(context.Request, limit, CancellationToken.None);
    }

    private static Task<AddBody> ReadFormAsync(string body) =>
        ReadAsync(Encoding.ASCII.GetBytes(body), "application/x-www-form-urlencoded");

    [Fact]
    public async Task UrlEncoded_GpgBody_DecodesToArmor()
    {
        var body = await ReadFormAsync(ClientEncodings.Gpg(Armor));
        Assert.Equal(Armor, Encoding.ASCII.GetString(body.KeyMaterial!));
    }

    [Fact]
    public async Task UrlEncoded_SqBodyWithRawEquals_DecodesToArmor()
    {
        var encoded = ClientEncodings.Sq(Armor);
        Assert.Contains("%0A=u1A1%0A", encoded, StringComparison.Ordinal);

        var body = await ReadFormAsync(encoded);

        Assert.Equal(Armor, Encoding.ASCII.GetString(body.KeyMaterial!));
    }

    [Fact]
    public async Task UrlEncoded_ApptainerBodyWithPlusSpaces_DecodesToArmorWithoutTrailingNewline()
    {
        var encoded = ClientEncodings.Apptainer(Armor);
        Assert.StartsWith("keytext=-----BEGIN+PGP+PUBLIC+KEY+BLOCK-----%0A", encoded, StringComparison.Ordinal);

        var body = await ReadFormAsync(encoded);

        Assert.Equal(Armor.TrimEnd('\n'), Encoding.ASCII.GetString(body.KeyMaterial!));
    }

    public static TheoryData<string, string> UrlEncodedForms => new()
    {
        { "keytext=%2D%2D%2D%2D%2DBEGIN%20PGP%20PUBLIC%20KEY%20BLOCK%2D%2D%2D%2D%2D%0A%0AmQIN%3DaDBh%0A", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQIN=aDBh\n" },
        { "options=mr&keytext=abc%2Bd&keysig=zzz", "abc+d" },
        { "keytext=one&keytext=two", "one\ntwo" },
        { "keytext=%ZZ%4", "%ZZ%4" },
    };

    [Theory]
    [MemberData(nameof(UrlEncodedForms))]
    public async Task UrlEncoded_Form_DecodesKeytext(string form, string keytext)
    {
        var body = await ReadFormAsync(form);
        Assert.Equal(keytext, Encoding.ASCII.GetString(body.KeyMaterial!));
    }

    [Theory]
    [InlineData("key=abc")]
    [InlineData("keytextx=abc")]
    [InlineData("")]
    [InlineData("&&&")]
    [InlineData("KEYTEXT=abc")]
    public async Task UrlEncoded_NoKeytextField_Is400(string form)
    {
        var body = await ReadFormAsync(form);
        Assert.Null(body.KeyMaterial);
        Assert.Equal(400, body.StatusCode);
        Assert.Contains("keytext", body.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keytext=")]
    [InlineData("keytext")]
    public async Task UrlEncoded_EmptyKeytext_Is400(string form)
    {
        Assert.Equal(400, (await ReadFormAsync(form)).StatusCode);
    }

    [Fact]
    public async Task Multipart_KeytextField_IsRead()
    {
        using var content = new MultipartFormDataContent("boundary42");
        content.Add(new StringContent("ignored"), "other");
        content.Add(new StringContent(Armor), "keytext");
        var bytes = await content.ReadAsByteArrayAsync();

        var body = await ReadAsync(bytes, content.Headers.ContentType!.ToString());

        Assert.Equal(Armor, Encoding.UTF8.GetString(body.KeyMaterial!));
    }

    [Fact]
    public async Task Multipart_FileUploadNamedKeytext_IsRead()
    {
        using var content = new MultipartFormDataContent("b0undary");
        content.Add(new ByteArrayContent([0x99, 0x01, 0x02]), "keytext", "key.gpg");
        var bytes = await content.ReadAsByteArrayAsync();

        var body = await ReadAsync(bytes, content.Headers.ContentType!.ToString());

        Assert.Equal(new byte[] { 0x99, 0x01, 0x02 }, body.KeyMaterial);
    }

    [Fact]
    public async Task Multipart_WithoutKeytext_Is400()
    {
        using var content = new MultipartFormDataContent("boundary42");
        content.Add(new StringContent(Armor), "key");
        var bytes = await content.ReadAsByteArrayAsync();

        Assert.Equal(400, (await ReadAsync(bytes, content.Headers.ContentType!.ToString())).StatusCode);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=abc")]
    public async Task Multipart_MissingBoundaryOrGarbage_Is400(string contentType)
    {
        var body = await ReadAsync(Encoding.ASCII.GetBytes("--zzz\r\nnot a part"), contentType);
        Assert.Equal(400, body.StatusCode);
    }

    [Theory]
    [InlineData("application/pgp-keys")]
    [InlineData("application/pgp-keys; charset=binary")]
    [InlineData("APPLICATION/PGP-KEYS")]
    [InlineData("application/pgp")]
    public async Task Raw_PgpKeys_IsTheBody(string contentType)
    {
        byte[] key = [0xC6, 0x33, 0x04, 0xFF, 0x00];
        Assert.Equal(key, (await ReadAsync(key, contentType)).KeyMaterial);
    }

    [Fact]
    public async Task Raw_Empty_Is400()
    {
        Assert.Equal(400, (await ReadAsync([], "application/pgp-keys")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("not a media type")]
    public async Task ContentType_Unsupported_Is415(string? contentType)
    {
        var body = await ReadAsync(Encoding.ASCII.GetBytes("keytext=abc"), contentType);
        Assert.Equal(415, body.StatusCode);
        Assert.Null(body.KeyMaterial);
    }

    [Fact]
    public async Task Oversize_DeclaredLength_Is413WithoutReading()
    {
        var body = await ReadAsync(Encoding.ASCII.GetBytes("keytext=abc"), "application/x-www-form-urlencoded", contentLength: Limit + 1);
        Assert.Equal(413, body.StatusCode);
    }

    [Fact]
    public async Task Oversize_ChunkedBody_Is413()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/pgp-keys";
        context.Request.Body = new MemoryStream(new byte[Limit + 1]);

        var body = await AddRequestReader.ReadAsync(context.Request, Limit, CancellationToken.None);

        Assert.Equal(413, body.StatusCode);
        Assert.Contains(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), body.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtLimit_Exactly_IsAccepted()
    {
        var body = await ReadAsync(new byte[Limit], "application/pgp-keys");
        Assert.Equal(Limit, body.KeyMaterial!.Length);
    }

    [Theory]
    [InlineData(400, 400)]
    [InlineData(413, 413)]
    public async Task BodyReadFailsInServer_IsTheServersStatus(int thrown, int expected)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new FailingStream(new BadHttpRequestException("broken", thrown));

        var body = await AddRequestReader.ReadAsync(context.Request, Limit, CancellationToken.None);

        Assert.Equal(expected, body.StatusCode);
        Assert.Null(body.KeyMaterial);
    }

    /// <summary>A request body whose read fails as Kestrel's does on a cut-short or oversized body.</summary>
    private sealed class FailingStream(Exception failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw failure;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
