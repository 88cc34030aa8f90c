namespace Interop.Tests.Sif;

/// <summary>
/// The real <c>sifsign</c> (sifsign.dll from the test output, run with <c>dotnet</c>) with its own
/// home, keys directory and config directory, so no test sees another's keys.
/// </summary>
public sealed class SifSignProcess : IDisposable
{
    public SifSignProcess()
    {
        Home = Directory.CreateTempSubdirectory("sifsign-interop-").FullName;
    }

    public string Home { get; }

    public string KeysDir => Path.Combine(Home, ".apptainer", "keys");

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "sifsign.dll");

    public Dictionary<string, string> Environment { get; } = [];

    public ProcessResult Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    public Task<ProcessResult> RunAsync(params string[] args)
    {
        var environment = new Dictionary<string, string>(Environment)
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
            ["APPTAINER_KEYSDIR"] = KeysDir,
            ["SIFSIGN_PASSPHRASE"] = Environment.GetValueOrDefault("SIFSIGN_PASSPHRASE", string.Empty),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        return ProcessRunner.RunAsync("dotnet", new[] { DllPath }.Concat(args), environment);
    }

    /// <summary>Creates a key pair (no passphrase) and returns its fingerprint.</summary>
    public string NewKey(string algorithm, string name)
    {
        var result = Run("key", "newpair", "--algorithm", algorithm, "--bit-length", "2048", "--name", name, "--email", "interop@example.org", "--comment", string.Empty).EnsureSuccess();
        var line = result.StandardError.Split('\n').Single(l => l.Contains("Key with fingerprint", StringComparison.Ordinal));
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4];
    }

    public string Export(string fingerprint, bool secret)
    {
        var path = Path.Combine(Home, $"{fingerprint}{(secret ? ".sec" : ".pub")}.asc");
        var args = new List<string> { "key", "export", "--armor", fingerprint, path };
        if (secret)
        {
            args.Insert(2, "--secret");
        }

        Run([.. args]).EnsureSuccess();
        return path;
    }

    /// <summary>A private copy of a reference image, so a test may change it.</summary>
    public string CopyImage(string fixture)
    {
        var path = Path.Combine(Home, Guid.NewGuid().ToString("N")[..8] + "-" + Path.GetFileName(fixture));
        File.Copy(fixture, path);
        return path;
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
