using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interop.Tests.Pki;

/// <summary>
/// An OCSP responder on 127.0.0.1 (free port) whose answers <c>openssl ocsp</c> makes offline from an
/// index file (<c>-reqin</c>/<c>-respout</c>): openssl's own server would listen on every interface.
/// One POST per connection, as the checker sends.
/// </summary>
public sealed class OpenSslOcspResponder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly OpenSsl _openssl;
    private readonly string _issuer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    /// <param name="openssl">The PKI directory, holding <c>index.txt</c>.</param>
    /// <param name="issuer">The CA whose certificates are asked about; it signs the responses (NAME.pem, NAME.key).</param>
    public OpenSslOcspResponder(OpenSsl openssl, string issuer)
    {
        _openssl = openssl;
        _issuer = issuer;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ocsp");

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Writes openssl's index: one line per certificate, valid or revoked.</summary>
    public void SetIndex(params (string Serial, string Subject, bool Revoked)[] entries)
    {
        var lines = entries.Select(e => e.Revoked
            ? $"R\t491231235959Z\t250101000000Z\t{e.Serial}\tunknown\t{e.Subject}"
            : $"V\t491231235959Z\t\t{e.Serial}\tunknown\t{e.Subject}");
        File.WriteAllText(_openssl.PathOf("index.txt"), string.Join('\n', lines) + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var body = await ReadRequestBodyAsync(stream);
                Interlocked.Increment(ref _requests);
                var name = Guid.NewGuid().ToString("N")[..8];
                await File.WriteAllBytesAsync(_openssl.PathOf(name + ".req"), body, _stop.Token);
                _openssl.Run(
                    "ocsp", "-index", "index.txt", "-CA", _issuer + ".pem", "-rsigner", _issuer + ".pem", "-rkey", _issuer + ".key",
                    "-reqin", name + ".req", "-respout", name + ".resp", "-ndays", "1").EnsureSuccess();
                var answer = await File.ReadAllBytesAsync(_openssl.PathOf(name + ".resp"), _stop.Token);
                var head = Encoding.ASCII.GetBytes(string.Create(
                    CultureInfo.InvariantCulture,
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(answer, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidOperationException)
            {
                // The client gave up, the responder is shutting down, or openssl refused the request: the
                // closed connection is the client's error, which the test asserts on.
            }
        }
    }

    private async Task<byte[]> ReadRequestBodyAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!(buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                throw new IOException("connection closed in headers");
            }

            buffer.Add(one[0]);
        }

        var headers = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var length = int.Parse(
            headers.First(h => h.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(),
            CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return body;
    }
}
