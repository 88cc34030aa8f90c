namespace Interop.Tests.Infrastructure;

/// <summary>
/// Bytes written straight to the server's socket: HttpClient and System.Uri repair malformed requests
/// (an invalid <c>%ZZ</c> becomes <c>%25ZZ</c>), which is exactly what a hostile client does not do.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> as is and reads the answer until the server closes.</summary>
    public static async Task<RawResponse> SendAsync(Uri baseUri, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUri.Host, baseUri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        await stream.FlushAsync();
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await stream.CopyToAsync(answer, timeout.Token);
        var text = Encoding.Latin1.GetString(answer.ToArray());
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var statusLine = text[..Math.Max(0, text.IndexOf("\r\n", StringComparison.Ordinal))];
        var parts = statusLine.Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], out var code) ? code : 0;
        return new RawResponse(
            status,
            headerEnd < 0 ? text : text[..headerEnd],
            headerEnd < 0 ? string.Empty : text[(headerEnd + 4)..]);
    }

    /// <summary>A GET of <paramref name="pathAndQuery"/> exactly as given, HTTP/1.0 like dirmngr.</summary>
    public static Task<RawResponse> GetAsync(Uri baseUri, string pathAndQuery) =>
        SendAsync(baseUri, Encoding.Latin1.GetBytes(
            $"GET {pathAndQuery} HTTP/1.0\r\nHost: {baseUri.Authority}\r\nConnection: close\r\n\r\n"));
}

/// <summary>Status code (0 when none could be read), raw header block and body of a raw exchange.</summary>
public sealed record RawResponse(int StatusCode, string Headers, string Body)
{
    public override string ToString() => $"{Headers}\n\n{Body}";
}
