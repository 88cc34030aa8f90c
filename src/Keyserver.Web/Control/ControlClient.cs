using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Keyserver.Web.Commands;

namespace Keyserver.Web.Control;

/// <summary>
/// The command side of the control socket: runs a command inside the running server when one
/// listens on the socket, and says so when there is none, so the command opens the store itself.
/// </summary>
internal static class ControlClient
{
    /// <summary>True when a server accepts connections on <paramref name="path"/>.</summary>
    public static bool Answers(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="args"/> in the server listening on <paramref name="path"/>, copying its
    /// output to <paramref name="output"/> and <paramref name="error"/>. Null when no server listens
    /// there (no socket file, or nobody accepts on it).
    /// </summary>
    public static async Task<int?> TryRunAsync(string path, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync(
                new Uri("http://localhost" + ControlSocket.RunPath),
                new ControlRequest(args, Directory.GetCurrentDirectory()),
                cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            if (socket.SocketErrorCode is SocketError.AccessDenied)
            {
                await error.WriteLineAsync($"Cannot open the control socket {path}: permission denied; run the command as the server's user.");
                return (int)ExitCode.Failure;
            }

            // Refused or gone: a socket file left behind by a server that is not running.
            return null;
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await error.WriteLineAsync($"The server on {path} refused the command ({(int)response.StatusCode}); is it run by another user?");
                return (int)ExitCode.Failure;
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("o ", StringComparison.Ordinal))
                {
                    await output.WriteLineAsync(line.AsMemory(2), cancellationToken);
                }
                else if (line.StartsWith("e ", StringComparison.Ordinal))
                {
                    await error.WriteLineAsync(line.AsMemory(2), cancellationToken);
                }
                else if (line.StartsWith("x ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    return code;
                }
            }

            await error.WriteLineAsync($"The server on {path} stopped before the command finished.");
            return (int)ExitCode.Failure;
        }
    }
}
