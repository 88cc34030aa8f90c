using System.Diagnostics;

namespace SifSign.Tests.Pki;

/// <summary>Runs openssl / ssh-keygen as independent implementations to cross-check ours.</summary>
internal static class ExternalTool
{
    public static (int ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public static string RunOk(string tool, params string[] arguments)
    {
        var (exitCode, output) = Run(tool, arguments);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({exitCode}): {output}");
        return output;
    }
}
