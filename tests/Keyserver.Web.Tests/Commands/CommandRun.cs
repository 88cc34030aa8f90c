namespace Keyserver.Web.Tests.Commands;

/// <summary>What a command run in process wrote: its exit code, standard output and standard error.</summary>
internal sealed record CommandRun(ExitCode Code, string Output, string Error)
{
    /// <summary>Runs <paramref name="command"/> with writers for its output and error, and collects both.</summary>
    public static async Task<CommandRun> Of(Func<TextWriter, TextWriter, Task<ExitCode>> command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await command(output, error);
        return new CommandRun(code, output.ToString(), error.ToString());
    }
}
