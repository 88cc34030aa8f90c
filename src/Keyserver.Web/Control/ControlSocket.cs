using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Keyserver.Web.Commands;
using Keyserver.Web.Http;
using Keyserver.Web.Options;
using Microsoft.AspNetCore.Connections.Features;

namespace Keyserver.Web.Control;

/// <summary>The request a command sends over the control socket: its arguments and where it was started.</summary>
/// <param name="Args">The command line, command name first.</param>
/// <param name="WorkingDirectory">The caller's working directory, for relative paths.</param>
internal sealed record ControlRequest(string[] Args, string WorkingDirectory);

/// <summary>
/// The server side of the control socket: a Unix socket (mode 0600) on which the maintenance
/// commands run inside the running server, against its open store. The protocol is HTTP: one
/// <c>POST /control/run</c> with a <see cref="ControlRequest"/> as JSON; the answer streams the
/// command's output as lines, <c>o </c> for standard output, <c>e </c> for standard error, and a
/// last line <c>x N</c> with the exit code.
/// </summary>
internal static class ControlSocket
{
    public const string RunPath = "/control/run";

    private const int MaxRequestBytes = 64 * 1024;

    // SOL_SOCKET and SO_PEERCRED on Linux (socket(7), unix(7)): the peer's pid, uid and gid.
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>
    /// The Kestrel address of the control socket (<c>http://unix:/path</c>), or null when it is off.
    /// A socket file left by a server that died is removed first.
    /// </summary>
    public static string? ListenUrl(IConfiguration configuration, string contentRoot)
    {
        var (enabled, path) = ControlOptions.FromConfiguration(configuration, contentRoot);
        if (!enabled || !OperatingSystem.IsLinux())
        {
            return null;
        }

        if (File.Exists(path) && !ControlClient.Answers(path))
        {
            File.Delete(path);
        }

        return "http://unix:" + path;
    }

    /// <summary>Maps <see cref="RunPath"/>, answered only on the control socket to the server's own user, and narrows the socket file to mode 0600 once listening.</summary>
    public static WebApplication MapControl(this WebApplication app)
    {
        var (enabled, path) = ControlOptions.FromConfiguration(app.Configuration, app.Environment.ContentRootPath);
        if (!enabled || !OperatingSystem.IsLinux())
        {
            return app;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (OperatingSystem.IsLinux() && File.Exists(path))
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        });
        app.MapPost(RunPath, RunAsync).DisableAntiforgery();
        return app;
    }

    private static async Task RunAsync(HttpContext context)
    {
        if (!FromOwnUser(context))
        {
            // Also the answer on the TCP listeners: the control endpoint does not exist there.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        ControlRequest? request;
        try
        {
            var read = await Http.BoundedBody.ReadAsync(context.Request, MaxRequestBytes, context.RequestAborted);
            request = read.Body is null ? null : JsonSerializer.Deserialize<ControlRequest>(read.Body, JsonOptions);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request?.Args is not { Length: > 0 } args || args.Any(a => a is null) || string.IsNullOrEmpty(request.WorkingDirectory)
            || !Path.IsPathFullyQualified(request.WorkingDirectory))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("x 1\n", context.RequestAborted);
            return;
        }

        context.Response.ContentType = MediaTypes.PlainText;
        var lines = Channel.CreateBounded<string>(256);
        var output = new ChannelLineWriter(lines.Writer, 'o');
        var error = new ChannelLineWriter(lines.Writer, 'e');
        var host = new CommandHost(output, error, request.WorkingDirectory, (run, _) => RunWithAsync(run, context.RequestServices), onServer: true);
        var running = Task.Run(async () =>
        {
            try
            {
                return await KeyserverCommandLine.InvokeAsync(host, args, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"the server failed to run the command: {e.Message.ReplaceLineEndings(" ")}");
                return (int)ExitCode.Failure;
            }
            finally
            {
                output.Flush();
                error.Flush();
                lines.Writer.Complete();
            }
        });

        await foreach (var line in lines.Reader.ReadAllAsync(context.RequestAborted))
        {
            await context.Response.WriteAsync(line, context.RequestAborted);
        }

        var code = await running;
        await context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"x {code}\n"), context.RequestAborted);
    }

    private static async Task<int> RunWithAsync(Func<IServiceProvider, Task<ExitCode>> run, IServiceProvider services) => (int)await run(services);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>True when the request came over a Unix socket from a process of the server's own user (SO_PEERCRED).</summary>
    private static bool FromOwnUser(HttpContext context)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is not { AddressFamily: AddressFamily.Unix } socket)
        {
            return false;
        }

        var credentials = new byte[12];
        try
        {
            return socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) == credentials.Length
                && BitConverter.ToUInt32(credentials, 4) == OwnUid.Value;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // The effective uid, from /proc/self/status ("Uid: real effective saved fs"): no native call needed.
    private static readonly Lazy<uint> OwnUid = new(() =>
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return uint.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    });

    /// <summary>A writer that sends each completed line, prefixed, into a channel.</summary>
    private sealed class ChannelLineWriter(ChannelWriter<string> lines, char stream) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    Send();
                }
                else if (value != '\r')
                {
                    _line.Append(value);
                }
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
            {
                Write(c);
            }
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override void Flush()
        {
            lock (_line)
            {
                if (_line.Length > 0)
                {
                    Send();
                }
            }
        }

        // Bounded: a command that writes faster than the client reads waits here.
        private void Send()
        {
            var text = $"{stream} {_line}\n";
            _line.Clear();
            lines.WriteAsync(text).AsTask().GetAwaiter().GetResult();
        }
    }
}
