using System.Diagnostics;

namespace SifSign.Cli.Tests.TestSupport;

/// <summary>What a finished process left.</summary>
internal sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// The real <c>sifsign</c> process (sifsign.dll from the test output, run with <c>dotnet</c>), with an
/// environment built from scratch: only what a test sets, plus PATH and the .NET variables needed to
/// start. So HOME can be unset or point nowhere, as for service and CI users.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    public CliProcess()
    {
        Home = Directory.CreateTempSubdirectory("sifsign-process-").FullName;
        WorkingDirectory = Home;
        Environment["HOME"] = Home;
        Environment["APPTAINER_CONFDIR"] = Path.Combine(Home, "confdir");
    }

    public string Home { get; }

    public string KeysDir => Path.Combine(Home, ".apptainer", "keys");

    public string WorkingDirectory { get; set; }

    /// <summary>The child's environment; a null value leaves the variable unset.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "sifsign.dll");

    public ProcessOutcome Run(params string[] args) => RunWithInput(null, args);

    public ProcessOutcome RunWithInput(string? input, params string[] args)
    {
        using var process = Start(args);
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProcessOutcome(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>Starts sifsign with redirected stdin, stdout and stderr; the caller reads and waits.</summary>
    public Process Start(params string[] args)
    {
        var start = CreateStartInfo("dotnet", [DllPath, .. args]);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>A start description for any program with this environment and working directory.</summary>
    public ProcessStartInfo CreateStartInfo(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "DOTNET_ROOT", "DOTNET_ROOT_X64", "TMPDIR", "LANG" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
