namespace SifSign.Cli.Tests.Commands.Ecl;

public class EclCheckCommandTests
{
    private const string Activated = "activated = true\n";

    private static string Config(CliHarness cli, string toml)
    {
        var path = Path.Combine(cli.Home, "ecl.toml");
        File.WriteAllText(path, toml);
        return path;
    }

    private static string FallbackGroup(string mode, string fingerprint) =>
        $"[[execgroup]]\ntagname = 'g'\nmode = '{mode}'\ndirpath = ''\nkeyfp = ['{fingerprint}']\n";

    [Fact]
    public void Check_NoDefaultConfiguration_Allowed()
    {
        using var cli = new CliHarness();
        cli.Environment["APPTAINER_CONFDIR"] = Path.Combine(cli.Home, "etc");
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        Assert.Equal(0, cli.Run("ecl", "check", image));

        Assert.Equal($"allowed: no ECL configuration at {Path.Combine(cli.Home, "etc", "ecl.toml")}\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Check_DefaultConfigurationAndKeyringFromConfDir_Used()
    {
        using var cli = new CliHarness();
        var etc = Directory.CreateDirectory(Path.Combine(cli.Home, "etc")).FullName;
        cli.Environment["APPTAINER_CONFDIR"] = etc;
        File.WriteAllText(Path.Combine(etc, "ecl.toml"), Activated + FallbackGroup("whitelist", Fixtures.KeyFingerprint));
        File.Copy(Fixtures.PrivateKey, Path.Combine(etc, "global-pgp-public"));
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif");

        Assert.Equal(0, cli.Run("ecl", "check", image));

        Assert.Equal($"allowed: signed by {Fixtures.KeyFingerprint} (execgroup g, whitelist)\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Check_Deactivated_AllowedWithoutReadingImage()
    {
        using var cli = new CliHarness();
        var image = Path.Combine(cli.Home, "not-there.sif");

        Assert.Equal(0, cli.Run("ecl", "check", "--config", Config(cli, "activated = false\n"), image));

        Assert.Equal("allowed: ECL not activated\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("whitelist", "one-group-signed.sif", true)]
    [InlineData("whitelist", "one-group.sif", false)]
    [InlineData("blacklist", "one-group-signed.sif", false)]
    [InlineData("blacklist", "one-group.sif", false)]
    public void Check_ReferenceImages_DecideAndExit(string mode, string imageName, bool allowed)
    {
        using var cli = new CliHarness();
        var image = Fixtures.CopyImage(cli, imageName);
        var config = Config(cli, Activated + FallbackGroup(mode, Fixtures.KeyFingerprint));

        var code = cli.Run("ecl", "check", "--config", config, "--keyring", Fixtures.PrivateKey, image);

        Assert.Equal(allowed ? ExitCodes.Success : ExitCodes.Prohibited, code);
        Assert.StartsWith(allowed ? "allowed: " : "prohibited: ", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ImageOutsideEveryGroup_Prohibited()
    {
        using var cli = new CliHarness();
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif");
        var config = Config(cli, Activated + $"[[execgroup]]\ntagname = 'g'\nmode = 'whitelist'\ndirpath = '/usr'\nkeyfp = ['{Fixtures.KeyFingerprint}']\n");

        Assert.Equal(ExitCodes.Prohibited, cli.Run("ecl", "check", "--config", config, "--keyring", Fixtures.PrivateKey, image));

        Assert.Equal($"prohibited: {image} not part of any execgroup\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(InvalidConfigurations))]
    public void Check_InvalidConfiguration_Exit255WithFirstError(string toml, string mentioned)
    {
        using var cli = new CliHarness();
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        var config = Config(cli, toml);

        Assert.Equal(ExitCodes.Failure, cli.Run("ecl", "check", "--config", config, image));

        var error = cli.Error.ToString();
        Assert.StartsWith($"FATAL:   invalid ECL configuration {config}: ", error, StringComparison.Ordinal);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
        Assert.Empty(cli.Out.ToString());
    }

    public static TheoryData<string, string> InvalidConfigurations => new()
    {
        { "activated = \n", "not valid TOML" },
        { "activated = true\n[[execgroup]]\ntagname = 'g'\nmode = 'greylist'\ndirpath = ''\nkeyfp = []\n", "greylist" },
        { "activated = true\n[[execgroup]]\ntagname = 'g'\nmode = 'whitelist'\ndirpath = ''\nkeyfp = ['ABCD']\n", "ABCD" },
        { "activated = 'yes'\n", "activated" },
        { "surprise = 1\n", "surprise" },
    };

    [Fact]
    public void Check_MissingExplicitConfigOrKeyring_Exit255()
    {
        using var cli = new CliHarness();
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif");

        Assert.Equal(ExitCodes.Failure, cli.Run("ecl", "check", "--config", Path.Combine(cli.Home, "absent.toml"), image));
        Assert.Contains("FATAL:   cannot read ECL configuration", cli.Error.ToString(), StringComparison.Ordinal);

        var config = Config(cli, Activated + FallbackGroup("whitelist", Fixtures.KeyFingerprint));
        Assert.Equal(ExitCodes.Failure, cli.Run("ecl", "check", "--config", config, "--keyring", Path.Combine(cli.Home, "absent.gpg"), image));
        Assert.Contains("FATAL:   ", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GarbageKeyringOrImage_Exit255()
    {
        using var cli = new CliHarness();
        var garbage = Path.Combine(cli.Home, "garbage");
        File.WriteAllBytes(garbage, [0x99, 0x01, 0xFF, 0x00, 0x13]);
        var config = Config(cli, Activated + FallbackGroup("whitelist", Fixtures.KeyFingerprint));
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif");

        Assert.Equal(ExitCodes.Failure, cli.Run("ecl", "check", "--config", config, "--keyring", garbage, image));
        Assert.Equal(ExitCodes.Failure, cli.Run("ecl", "check", "--config", config, "--keyring", Fixtures.PrivateKey, garbage));
        Assert.StartsWith("FATAL:   ", cli.Error.ToString(), StringComparison.Ordinal);
    }
}
