using System.Globalization;
using System.Net.Sockets;

namespace TestKit.Http;

/// <summary>
/// A minimal HTTP/1.1 OCSP responder (RFC 6960 Appendix A.1, POST) on 127.0.0.1, free port: reads one
/// POST per connection, as an OCSP client sends, hands the DER request body to the test's handler and
/// writes back the bytes it returns. A null answer means "hang" (for timeouts); a handler that throws
/// closes the connection without an answer.
/// </summary>
public sealed class LoopbackOcspResponder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<byte[], CancellationToken, Task<byte[]?>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LoopbackOcspResponder(Func<byte[], CancellationToken, Task<byte[]?>> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ocsp");

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The Content-Type header of the last request.</summary>
    public string? LastContentType { get; private set; }

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
                var (headers, body) = await ReadRequestAsync(stream);
                Interlocked.Increment(ref _requests);
                LastContentType = headers.FirstOrDefault(h => h.StartsWith("content-type:", StringComparison.OrdinalIgnoreCase))?[13..].Trim();
                var answer = await _handler(body, _stop.Token);
                if (answer is null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                var head = Encoding.ASCII.GetBytes(string.Create(
                    CultureInfo.InvariantCulture,
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(answer, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidOperationException)
            {
                // The client gave up (timeout test), the responder is shutting down, or the handler refused
                // the request: the closed connection is the client's error, which the test asserts on.
            }
        }
    }

    private async Task<(List<string> Headers, byte[] Body)> ReadRequestAsync(NetworkStream stream)
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

        var headers = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();
        var length = int.Parse(
            headers.First(h => h.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(),
            CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return (headers, body);
    }
}
