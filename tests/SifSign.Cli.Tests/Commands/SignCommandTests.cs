namespace SifSign.Cli.Tests.Commands;

public class SignCommandTests
{
    private static string Key(CliHarness cli, string name, string? passphrase = null)
    {
        cli.Environment["SIFSIGN_PASSPHRASE"] = passphrase ?? string.Empty;
        Assert.Equal(0, cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", name, "-E", "s@example.org", "-C", string.Empty));
        cli.Environment.Remove("SIFSIGN_PASSPHRASE");
        return KeyIdentity.Fingerprint(new Keyring(cli.KeysDir).ReadSecret().Last().GetPublicKey());
    }

    [Fact]
    public void Sign_OneKey_SignsEveryGroupAndVerifies()
    {
        using var cli = new CliHarness();
        var fingerprint = Key(cli, "Signer");
        var image = Fixtures.CopyImage(cli, "two-groups.sif");

        Assert.Equal(0, cli.Run("sign", image));
        Assert.Equal(
            "INFO:    Signing image with PGP key material\n" +
            $"INFO:    Signature created and applied to image '{image}'\n",
            cli.Error.ToString().ReplaceLineEndings("\n"));

        Assert.Equal(0, cli.Run("verify", "--local", image));
        Assert.Equal(2, cli.Out.ToString().Split($"Fingerprint: {fingerprint}").Length - 1);
    }

    /// <summary>Signs a copy of one-group.sif with <paramref name="options"/>: exit 255, <paramref name="reason"/> on stderr, the image byte for byte as before.</summary>
    private static void AssertSignRefused(CliHarness cli, string reason, params string[] options)
    {
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        var before = File.ReadAllBytes(image);

        Assert.Equal(ExitCodes.Failure, cli.Run(["sign", .. options, image]));
        Assert.Contains(reason, cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void Sign_EmptyKeyring_Exit255AndImageUnchanged()
    {
        using var cli = new CliHarness();

        AssertSignRefused(cli, "FATAL:   Failed to sign container: keyring is empty");
    }

    [Fact]
    public void Sign_SeveralKeysNotInteractive_AsksForKeyIdx()
    {
        using var cli = new CliHarness();
        Key(cli, "First");
        Key(cli, "Second");
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        Assert.Equal(ExitCodes.Failure, cli.Run("sign", image));
        Assert.Contains("choose one with --keyidx N", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_KeyIdx_UsesThatKey()
    {
        using var cli = new CliHarness();
        Key(cli, "First");
        var second = Key(cli, "Second");
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        Assert.Equal(0, cli.Run("sign", "--keyidx", "1", image));
        cli.Run("verify", "--local", image);
        Assert.Contains($"Fingerprint: {second}", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_KeyIdxOutOfRange_ApptainerMessage()
    {
        using var cli = new CliHarness();
        Key(cli, "Only");
        var image = Fixtures.CopyImage(cli, "one-group.sif");

        Assert.Equal(ExitCodes.Failure, cli.Run("sign", "-k", "5", image));
        Assert.Contains("FATAL:   Failed to sign container: index out of range", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_SeveralKeysInteractive_ShowsMenuAndUsesChoice()
    {
        using var cli = new CliHarness();
        var first = Key(cli, "First");
        Key(cli, "Second");
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        cli.Terminal.IsInteractive = true;
        cli.Terminal.Answers.Enqueue("0");

        Assert.Equal(0, cli.Run("sign", image));
        Assert.Contains("1)  User:              Second () <s@example.org>", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal("Enter # of private key to use : ", cli.Terminal.Prompts.Last());
        cli.Run("verify", "--local", image);
        Assert.Contains($"Fingerprint: {first}", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ProtectedKey_PromptsForPassphrase()
    {
        using var cli = new CliHarness();
        Key(cli, "Protected", passphrase: "open sesame");
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        cli.Terminal.Answers.Enqueue("open sesame");

        Assert.Equal(0, cli.Run("sign", image));
        Assert.Equal("Enter key passphrase : ", Assert.Single(cli.Terminal.Prompts));
    }

    [Fact]
    public void Sign_WrongPassphrase_Exit255AndImageUnchanged()
    {
        using var cli = new CliHarness();
        Key(cli, "Protected", passphrase: "right");
        cli.Environment["SIFSIGN_PASSPHRASE"] = "wrong";

        AssertSignRefused(cli, "wrong passphrase");
    }

    [Fact]
    public void Sign_UnknownGroup_ReferenceMessageAndImageUnchanged()
    {
        using var cli = new CliHarness();
        Key(cli, "Signer");

        AssertSignRefused(cli, "FATAL:   Failed to sign container: integrity: group not found", "--group-id", "7");
    }

    [Fact]
    public void Sign_MissingImage_Exit255WithPath()
    {
        using var cli = new CliHarness();
        Key(cli, "Signer");
        var image = Path.Combine(cli.Home, "missing.sif");

        Assert.Equal(ExitCodes.Failure, cli.Run("sign", image));
        Assert.Contains(image, cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public void Sign_NotASifFile_Exit255AndFileUnchanged()
    {
        using var cli = new CliHarness();
        Key(cli, "Signer");
        var image = Path.Combine(cli.Home, "text.sif");
        File.WriteAllText(image, "just text, long enough to not be a header? no.");

        Assert.Equal(ExitCodes.Failure, cli.Run("sign", image));
        Assert.StartsWith("INFO:    Signing image with PGP key material\nFATAL:   Failed to sign container: ", cli.Error.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("just text, long enough to not be a header? no.", File.ReadAllText(image));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Sign_ReadOnlyImage_Exit255AndImageUnchanged()
    {
        using var cli = new CliHarness();
        Key(cli, "Signer");
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        var before = File.ReadAllBytes(image);
        File.SetUnixFileMode(image, UnixFileMode.UserRead);
        try
        {
            var code = cli.Run("sign", image);

            // Root may write to read-only files; then signing is legitimately allowed.
            if (Environment.UserName == "root")
            {
                Assert.Equal(0, code);
            }
            else
            {
                Assert.Equal(ExitCodes.Failure, code);
                Assert.Equal(before, File.ReadAllBytes(image));
            }
        }
        finally
        {
            File.SetUnixFileMode(image, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
