namespace SifSign.Cli.Tests.EndToEnd;

/// <summary>
/// The real sifsign process as service and CI users run it (HOME unset or pointing nowhere), with an
/// existing image, bad command lines and a pseudo-terminal (util-linux <c>script</c>) for the progress bar.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class SafeDefaultsTests
{
    [Theory]
    [MemberData(nameof(MissingHomes))]
    public void KeyNewPair_NoHome_FailsNamingKeysdirAndWritesNothingInWorkingDirectory(string? home)
    {
        using var cli = InEmptyWorkingDirectory(home);

        var outcome = cli.Run("key", "newpair", "-N", "Svc", "-E", "svc@example.org", "-C", "", "-P", "", "--algorithm", "ed25519");

        Assert.Equal(ExitCodes.KeyCommandFailed, outcome.ExitCode);
        AssertOneLine("FATAL:   no keys directory: HOME is unset or does not exist; pass --keysdir DIR or set APPTAINER_KEYSDIR\n", outcome.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.WorkingDirectory));
    }

    public static TheoryData<string?> MissingHomes => new() { null, "/nonexistent", string.Empty };

    [Theory]
    [MemberData(nameof(MissingHomes))]
    public void KeyserverAdd_NoHome_FailsNamingConfigAndWritesNothingInWorkingDirectory(string? home)
    {
        using var cli = InEmptyWorkingDirectory(home);

        var outcome = cli.Run("keyserver", "add", "https://keys.example.org");

        Assert.Equal(ExitCodes.Failure, outcome.ExitCode);
        AssertOneLine("FATAL:   no configuration directory: HOME is unset or does not exist; pass --config FILE or set XDG_CONFIG_HOME to an absolute path\n", outcome.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.WorkingDirectory));
    }

    [Fact]
    public void Sign_NoHome_IgnoresKeyringInWorkingDirectoryAndLeavesImage()
    {
        using var cli = InEmptyWorkingDirectory("/nonexistent");
        var keys = Path.Combine(cli.WorkingDirectory, ".apptainer", "keys");
        Assert.Equal(0, cli.Run("key", "newpair", "-d", keys, "-N", "Svc", "-E", "svc@example.org", "-C", "", "-P", "", "--algorithm", "ed25519").ExitCode);
        var image = Path.Combine(cli.WorkingDirectory, "image.sif");
        File.Copy(Fixtures.Image("one-group.sif"), image);
        var before = File.ReadAllBytes(image);

        var outcome = cli.Run("sign", "image.sif");

        Assert.Equal(ExitCodes.Failure, outcome.ExitCode);
        Assert.Contains("pass --keysdir DIR or set APPTAINER_KEYSDIR", outcome.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void KeyNewPair_NoHomeButKeysdirVariable_Works()
    {
        using var cli = InEmptyWorkingDirectory("/nonexistent");
        var keys = Path.Combine(cli.Home, "service-keys");
        cli.Environment["APPTAINER_KEYSDIR"] = keys;

        var outcome = cli.Run("key", "newpair", "-N", "Svc", "-E", "svc@example.org", "-C", "", "-P", "", "--algorithm", "ed25519");

        Assert.Equal(0, outcome.ExitCode);
        Assert.True(File.Exists(Path.Combine(keys, "pgp-secret")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.WorkingDirectory));
    }

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void ParseError_OneLineNamingTheWord_Exit1(string commandLine, string expected)
    {
        using var cli = new CliProcess();

        var outcome = cli.Run(commandLine.Split(' '));

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Equal(expected, outcome.StandardError);
        Assert.Empty(outcome.StandardOutput);
    }

    public static TheoryData<string, string> ParseErrors => new()
    {
        { "verify --bogus x.sif", "Error: unknown option '--bogus' (see 'sifsign verify --help')\n" },
        { "verify --bogus", "Error: unknown option '--bogus' (see 'sifsign verify --help')\n" },
        { "key list -Z", "Error: unknown option '-Z' (see 'sifsign key list --help')\n" },
        { "sign x.sif --keyidx", "Error: Required argument missing for option: '--keyidx' (see 'sifsign sign --help')\n" },
        { "frobnicate", "Error: Unrecognized command or argument 'frobnicate' (see 'sifsign --help')\n" },
    };

    [Fact]
    public void SifNew_ExistingFile_RefusedUntouched_ForceReplaces()
    {
        using var cli = new CliProcess();
        var path = Path.Combine(cli.Home, "precious.sif");
        File.WriteAllText(path, "not yours to overwrite");

        var refused = cli.Run("sif", "new", path);

        Assert.Equal(ExitCodes.UsageError, refused.ExitCode);
        Assert.Equal($"Error for command \"new\": {path} already exists (use --force to replace it)\n", refused.StandardError);
        Assert.Equal("not yours to overwrite", File.ReadAllText(path));

        Assert.Equal(0, cli.Run("sif", "new", "--force", path).ExitCode);
        Assert.Equal(0, cli.Run("sif", "header", path).ExitCode);
    }

    [Fact]
    public void ProgressBar_OnTerminal_ErasedBeforeReport_AndAbsentWhenStderrIsNotATerminal()
    {
        using var cli = new CliProcess();
        var image = LargeSignedImage(cli);

        // Under script(1) stdout and stderr are one pseudo-terminal, as for a person at a shell.
        var command = $"dotnet {CliProcess.DllPath} verify --local -d {cli.KeysDir} {image}";
        using var script = System.Diagnostics.Process.Start(cli.CreateStartInfo("script", ["-qec", command, "/dev/null"]))!;
        script.StandardInput.Close();
        var terminal = script.StandardOutput.ReadToEnd();
        script.WaitForExit();

        Assert.True(script.ExitCode == 0, terminal);
        Assert.Contains("Verifying [=", terminal, StringComparison.Ordinal);
        foreach (var line in terminal.Split('\n').Where(l => l.Contains("Signing entity", StringComparison.Ordinal) || l.Contains("Objects verified", StringComparison.Ordinal)))
        {
            // What the terminal shows after carriage returns: the last segment starts the line.
            var shown = line.Split('\r', StringSplitOptions.RemoveEmptyEntries).Last(s => s.Trim().Length > 0);
            Assert.DoesNotContain("%", shown, StringComparison.Ordinal);
            Assert.True(shown.StartsWith("[LOCAL]", StringComparison.Ordinal) || shown.StartsWith("Objects verified", StringComparison.Ordinal), line);
        }

        var redirected = cli.Run("verify", "--local", "-d", cli.KeysDir, image);
        Assert.Equal(0, redirected.ExitCode);
        Assert.DoesNotContain("%", redirected.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", redirected.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A signed image just over the progress bar's threshold (a sparse 65 MiB partition).</summary>
    internal static string LargeSignedImage(CliProcess cli)
    {
        var image = Path.Combine(cli.Home, "large.sif");
        var data = Path.Combine(cli.Home, "rootfs.bin");
        using (var stream = File.Create(data))
        {
            stream.SetLength(65L * 1024 * 1024);
        }

        Assert.Equal(0, cli.Run("sif", "new", image).ExitCode);
        Assert.Equal(0, cli.Run("sif", "add", "--datatype", "4", "--parttype", "2", "--partfs", "1", "--partarch", "2", "--groupid", "1", image, data).ExitCode);
        Assert.Equal(0, cli.Run("key", "newpair", "-d", cli.KeysDir, "-N", "Bar", "-E", "bar@example.org", "-C", "", "-P", "", "--algorithm", "ed25519").ExitCode);
        Assert.Equal(0, cli.Run("sign", "-d", cli.KeysDir, image).ExitCode);
        return image;
    }

    private static CliProcess InEmptyWorkingDirectory(string? home)
    {
        var cli = new CliProcess();
        cli.WorkingDirectory = Directory.CreateDirectory(Path.Combine(cli.Home, "work")).FullName;
        cli.Environment["HOME"] = home;
        return cli;
    }

    private static void AssertOneLine(string expected, string standardError)
    {
        Assert.Equal(expected, standardError);
        Assert.DoesNotContain("   at ", standardError, StringComparison.Ordinal);
    }
}
