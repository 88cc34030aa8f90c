using SifSign.Cli.Console;

namespace SifSign.Cli;

/// <summary>
/// Everything a command touches outside itself: output streams, the terminal, environment, home
/// directory and the network. Tests build one with redirected writers, a temp home and a stub
/// HTTP handler.
/// </summary>
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Raw stdout, for commands that write bytes (<c>sif dump</c>).</summary>
    public required Func<Stream> OpenStandardOutput { get; init; }

    public required ITerminal Terminal { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>The user's home directory: absolute and existing, else null (no default keys or configuration then).</summary>
    public required string? HomeDirectory { get; init; }

    /// <summary>Creates the handler behind every keyserver request.</summary>
    public required Func<HttpMessageHandler> CreateHttpHandler { get; init; }

    /// <summary>Creates the handler for a keyserver added with <c>--insecure</c> (TLS certificates not checked); null: as <see cref="CreateHttpHandler"/>.</summary>
    public Func<HttpMessageHandler>? CreateInsecureHttpHandler { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>True in the real process: <c>sign</c> then catches SIGINT/SIGTERM to roll back; tests running in-process leave signals alone.</summary>
    public bool HandleSignals { get; init; }

    /// <summary>Reads all of stdin (<c>keyserver login --password-stdin</c>).</summary>
    public Func<string> ReadStandardInput { get; init; } = () => System.Console.In.ReadToEnd();

    public static CliContext FromProcess() => new()
    {
        Out = System.Console.Out,
        Error = System.Console.Error,
        OpenStandardOutput = System.Console.OpenStandardOutput,
        Terminal = new SystemTerminal(),
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        HandleSignals = true,
        HomeDirectory = UsableHome(Environment.GetEnvironmentVariable("HOME")),
        CreateHttpHandler = () => new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        },
        CreateInsecureHttpHandler = () => new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
#pragma warning disable CA5359 // The user asked for it with 'keyserver add --insecure', as Apptainer's InsecureSkipVerify.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        },
    };

    /// <summary>
    /// HOME when it names an existing absolute directory. Service and CI users often run with HOME
    /// unset or pointing nowhere (/nonexistent); then nothing defaults to the working directory.
    /// </summary>
    public static string? UsableHome(string? home) =>
        !string.IsNullOrEmpty(home) && Path.IsPathRooted(home) && Directory.Exists(home) ? home : null;

    /// <summary>Writes an Apptainer-style log line to stderr: the level and colon in 8 columns, then a space.</summary>
    public void Log(LogLevel level, string message)
    {
        var label = level switch
        {
            LogLevel.Info => "INFO:",
            LogLevel.Warning => "WARNING:",
            LogLevel.Error => "ERROR:",
            _ => "FATAL:",
        };
        Error.WriteLine($"{label,-8} {message}");
    }

    public void Info(string message) => Log(LogLevel.Info, message);

    public void Warning(string message) => Log(LogLevel.Warning, message);

    public void Fatal(string message) => Log(LogLevel.Fatal, message);
}

internal enum LogLevel
{
    Info,
    Warning,
    Error,
    Fatal,
}
