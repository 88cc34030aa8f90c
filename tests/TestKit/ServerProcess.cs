using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TestKit;

/// <summary>
/// The built server (Keyserver.Web.dll, copied next to the test assembly by a project reference) as a
/// process, run from the repository root (its content root): start it, wait until it listens, stop it.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    /// <summary>Each stream keeps its first mebibyte (start-up errors): a flood test must not eat memory.</summary>
    private const int MaxOutputChars = 1 << 20;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Path of Keyserver.Web.dll next to the test assembly; TestKit itself references no src project.</summary>
    public static string DllPath => System.IO.Path.Combine(AppContext.BaseDirectory, "Keyserver.Web.dll");

    /// <summary>Starts the server with <paramref name="args"/>; e-mail verification is off unless the environment sets it.</summary>
    public static ServerProcess Start(IEnumerable<string> args, params (string Name, string Value)[] environment)
    {
        if (!File.Exists(DllPath))
        {
            throw new InvalidOperationException($"{DllPath} is missing: the test project must reference Keyserver.Web.");
        }

        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Verification__Mode"] = "None";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(new Process { StartInfo = start });
        server._process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        server._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (server._error)
                {
                    if (server._error.Length < MaxOutputChars)
                    {
                        server._error.AppendLine(e.Data);
                    }
                }
            }
        };
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Runs to the end (a guard of two minutes against a hang, not a timing assertion).</summary>
    public static async Task<ServerProcess> RunAsync(IEnumerable<string> args, params (string Name, string Value)[] environment)
    {
        var server = Start(args, environment);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await server._process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            server._process.Kill(entireProcessTree: true);
            throw;
        }

        server._process.WaitForExit();
        return server;
    }

    /// <summary>The first URL the server said it listens on.</summary>
    public async Task<Uri> ListeningAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exited = _process.WaitForExitAsync(guard.Token);
        var done = await Task.WhenAny(_listening.Task, exited);
        if (done != _listening.Task)
        {
            throw new InvalidOperationException($"The server exited before listening:\n{Output}\n{Error}");
        }

        return new Uri(await _listening.Task);
    }

    /// <summary>SIGTERM, as systemd or `docker stop` sends it (Process.Kill is SIGKILL), and wait for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = NativeMethods.Kill(_process.Id, NativeMethods.SigTerm);

        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw;
        }

        _process.WaitForExit();
    }

    /// <summary>SIGKILL: the process gets no chance to flush or shut down (durability tests).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>The dotnet host running these tests when the SDK names it, else `dotnet` from PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";

    private static class NativeMethods
    {
        internal const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Kill(int pid, int signal);
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < MaxOutputChars)
            {
                _output.AppendLine(line);
            }
        }

        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            // The URL alone, whether the line is plain text or JSON.
            var url = line[(at + marker.Length)..];
            var end = url.IndexOfAny(['"', ' ', ',']);
            _listening.TrySetResult(end < 0 ? url.Trim() : url[..end]);
        }
    }
}
