namespace Keyserver.Web.Commands;

/// <summary>
/// Where a command runs: in its own process (console, a store it opens itself) or inside the
/// running server (its output sent back over the control socket, the server's services).
/// </summary>
/// <param name="output">Standard output.</param>
/// <param name="error">Standard error.</param>
/// <param name="workingDirectory">Relative paths are resolved against it: the caller's directory.</param>
/// <param name="withServices">Runs a command against the store and use cases, and returns its exit code.</param>
/// <param name="onServer">True inside the running server.</param>
internal sealed class CommandHost(
    TextWriter output, TextWriter error, string workingDirectory, Func<Func<IServiceProvider, Task<ExitCode>>, CancellationToken, Task<int>> withServices,
    bool onServer = false)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool OnServer { get; } = onServer;

    public Task<int> WithServicesAsync(Func<IServiceProvider, Task<ExitCode>> run, CancellationToken cancellationToken) => withServices(run, cancellationToken);

    public string FullPath(string path) => Path.GetFullPath(path, workingDirectory);
}
