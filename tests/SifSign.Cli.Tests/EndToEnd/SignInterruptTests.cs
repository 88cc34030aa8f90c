using System.Security.Cryptography;

namespace SifSign.Cli.Tests.EndToEnd;

/// <summary>
/// A sign interrupted by a signal leaves the image byte-identical: the real process is held at an
/// exact write step (SIFSIGN_TEST_PAUSE_AT) and signalled there, so no timing decides the outcome.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class SignInterruptTests
{
    [Theory]
    [MemberData(nameof(InterruptPoints))]
    public async Task Sign_SignalledMidAppend_ImageByteIdenticalAndExit130(string step, string signal)
    {
        using var cli = new CliProcess();
        var image = Path.Combine(cli.Home, "image.sif");
        File.Copy(Fixtures.Image("two-groups.sif"), image);
        Assert.Equal(0, cli.Run("key", "newpair", "-d", cli.KeysDir, "-N", "Int", "-E", "int@example.org", "-C", "", "-P", "", "--algorithm", "ed25519").ExitCode);
        var before = SHA256.HashData(File.ReadAllBytes(image));
        var length = new FileInfo(image).Length;
        var marker = Path.Combine(cli.Home, "paused");
        cli.Environment["SIFSIGN_TEST_PAUSE_AT"] = $"{step}:{marker}";

        using var sign = cli.Start("sign", "-d", cli.KeysDir, image);
        sign.StandardInput.Close();
        var error = sign.StandardError.ReadToEndAsync();
        while (!File.Exists(marker))
        {
            if (sign.HasExited)
            {
                Assert.Fail($"sign ended before reaching {step}: {await error}");
            }

            await Task.Delay(10);
        }

        // The signature data is in the file already (the image is locked by the signer: stat only).
        Assert.True(new FileInfo(image).Length > length);
        // The shell's kill builtin: no procps needed on a minimal machine.
        using (var kill = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"kill -{signal} {sign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"])!)
        {
            await kill.WaitForExitAsync();
        }

        await sign.WaitForExitAsync();

        Assert.Equal(ExitCodes.Cancelled, sign.ExitCode);
        Assert.Contains("FATAL:   interrupted", await error, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(image)));
        cli.Environment.Remove("SIFSIGN_TEST_PAUSE_AT");
        Assert.Equal(0, cli.Run("sign", "-d", cli.KeysDir, image).ExitCode);
        Assert.Equal(0, cli.Run("verify", "--local", "-d", cli.KeysDir, image).ExitCode);
    }

    public static TheoryData<string, string> InterruptPoints => new()
    {
        { "DataWritten", "TERM" },
        { "DataFlushed", "TERM" },
        { "DescriptorWritten", "TERM" },
        { "DescriptorsFlushed", "TERM" },
        { "HeaderWritten", "TERM" },
        { "DataFlushed", "INT" },
        { "HeaderWritten", "HUP" },
    };
}
