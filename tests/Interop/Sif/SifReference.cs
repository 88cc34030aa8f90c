namespace Interop.Tests.Sif;

/// <summary>
/// The reference implementation as installed by Debian's golang-github-sylabs-sif-dev: test images,
/// signing key, golden outputs, and a small Go helper (tests/Interop/go/src/sifref) built against the
/// same sources that signs and verifies as the reference library does.
/// </summary>
public static class SifReference
{
    public const string Root = "/usr/share/gocode/src/github.com/sylabs/sif";

    public const string KeyFingerprint = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";

    private static readonly Lazy<string> Helper = new(BuildHelper, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Image(string name) => Tools.RequireFile(Path.Combine(Root, "test", "images", name), "golang-github-sylabs-sif-dev");

    public static string PrivateKey => Tools.RequireFile(Path.Combine(Root, "test", "keys", "private.asc"), "golang-github-sylabs-sif-dev");

    public static string Golden(string test, string name) =>
        Tools.RequireFile(Path.Combine(Root, "internal", "app", "siftool", "testdata", test, name + ".golden"), "golang-github-sylabs-sif-dev");

    public static IEnumerable<string> GoldenNames(string test) =>
        Directory.GetFiles(Path.Combine(Root, "internal", "app", "siftool", "testdata", test), "*.golden")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)!;

    /// <summary>Runs the Go helper: <c>sifref sign|verify -key FILE [flags] IMAGE</c>.</summary>
    public static ProcessResult Run(params string[] args) => ProcessRunner.Run(Helper.Value, args);

    private static string BuildHelper()
    {
        var go = Tools.Require("go", "golang-go");
        var output = Directory.CreateTempSubdirectory("sifref-").FullName;
        var gopath = Path.Combine(RepositoryRoot.Path, "tests", "Interop", "go");
        var environment = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = gopath + ":/usr/share/gocode",
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = string.Empty,
            ["GOCACHE"] = Path.Combine(output, "cache"),
        };
        var binary = Path.Combine(output, "sifref");
        ProcessRunner.RunAsync(go, ["build", "-o", binary, "sifref"], environment, workingDirectory: gopath)
            .GetAwaiter().GetResult().EnsureSuccess();
        return binary;
    }

    /// <summary>sifsign failed with apptainer's exit code 255 and both programs named <paramref name="expected"/> on stderr.</summary>
    public static void AssertBothFail(ProcessResult ours, ProcessResult reference, string expected)
    {
        Assert.Equal(255, ours.ExitCode);
        Assert.Contains(expected, ours.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, reference.StandardError, StringComparison.Ordinal);
    }
}
