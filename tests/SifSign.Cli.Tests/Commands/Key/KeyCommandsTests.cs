namespace SifSign.Cli.Tests.Commands.Key;

public class KeyCommandsTests
{
    private static string NewPair(CliHarness cli, string name = "Test User", string email = "test@example.org")
    {
        cli.Environment["SIFSIGN_PASSPHRASE"] = string.Empty;
        var code = cli.Run("key", "newpair", "--algorithm", "ed25519", "--name", name, "--email", email, "--comment", string.Empty);
        Assert.True(code == 0, cli.Error.ToString());
        return KeyIdentity.Fingerprint(new Keyring(cli.KeysDir).ReadPublic().Last().GetPublicKey());
    }

    private static CliHarness HarnessWithPair(out string fingerprint)
    {
        var cli = new CliHarness();
        try
        {
            fingerprint = NewPair(cli);
            return cli;
        }
        catch
        {
            cli.Dispose();
            throw;
        }
    }

    [Fact]
    public void NewPair_FlagsOnly_AddsKeyToDefaultKeysDirAndPrintsApptainerLine()
    {
        using var cli = new CliHarness();

        var fingerprint = NewPair(cli);

        Assert.Equal("Generating Entity and OpenPGP Key Pair... done\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Contains($"INFO:    Key with fingerprint {fingerprint} added to {cli.KeysDir}", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Single(new Keyring(cli.KeysDir).ReadSecret());
        Assert.Empty(cli.Terminal.Prompts);
    }

    [Fact]
    public void NewPair_MissingFields_PromptsForThemAndPassphraseTwice()
    {
        using var cli = new CliHarness();
        foreach (var answer in new[] { "Prompted Name", "p@example.org", "from prompt", "pw", "pw" })
        {
            cli.Terminal.Answers.Enqueue(answer);
        }

        var code = cli.Run("key", "newpair", "--algorithm", "ed25519");

        Assert.Equal(0, code);
        Assert.Equal(5, cli.Terminal.Prompts.Count);
        var secret = Assert.Single(new Keyring(cli.KeysDir).ReadSecret());
        Assert.Equal("Prompted Name (from prompt) <p@example.org>", KeyIdentity.PrimaryUserId(secret.GetPublicKey()));
        Assert.NotNull(secret.GetSecretKey().ExtractPrivateKey("pw".ToCharArray()));
    }

    [Fact]
    public void NewPair_PassphrasesDiffer_FailsWithExit2AndAddsNothing()
    {
        using var cli = new CliHarness();
        cli.Terminal.Answers.Enqueue("one");
        cli.Terminal.Answers.Enqueue("two");

        var code = cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", "N", "-E", "n@example.org", "-C", "c");

        Assert.Equal(ExitCodes.KeyCommandFailed, code);
        Assert.Contains("FATAL:   passphrases do not match", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(new Keyring(cli.KeysDir).SecretPath));
    }

    [Fact]
    public void NewPair_PassphraseFile_ProtectsKey()
    {
        using var cli = new CliHarness();
        var file = Path.Combine(cli.Home, "pass.txt");
        File.WriteAllText(file, "from-file\nignored second line\n");

        var code = cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", "N", "-E", "n@example.org", "-C", string.Empty, "--passphrase-file", file);

        Assert.Equal(0, code);
        var secret = Assert.Single(new Keyring(cli.KeysDir).ReadSecret());
        Assert.NotNull(secret.GetSecretKey().ExtractPrivateKey("from-file".ToCharArray()));
    }

    [Fact]
    public void NewPair_KeysDirFromEnvironment_IsUsed()
    {
        using var cli = new CliHarness();
        var dir = Path.Combine(cli.Home, "elsewhere");
        cli.Environment["APPTAINER_KEYSDIR"] = dir;
        cli.Environment["SIFSIGN_PASSPHRASE"] = string.Empty;

        Assert.Equal(0, cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", "N", "-E", "n@example.org", "-C", string.Empty));

        Assert.True(File.Exists(Path.Combine(dir, "pgp-secret")));
        Assert.False(Directory.Exists(cli.KeysDir));
    }

    [Fact]
    public void List_TwoKeys_PrintsApptainerLayout()
    {
        using var cli = new CliHarness();
        var first = NewPair(cli, "First User", "first@example.org");
        var second = NewPair(cli, "Second User", "second@example.org");

        var code = cli.Run("key", "list");

        Assert.Equal(0, code);
        var lines = cli.Out.ToString().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal($"Public key listing ({Path.Combine(cli.KeysDir, "pgp-public")}):", lines[0]);
        Assert.Equal(string.Empty, lines[1]);
        Assert.Equal("0)  User:              First User () <first@example.org>", lines[2]);
        Assert.Matches(@"^    Creation time:     \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$", lines[3]);
        Assert.Equal($"    Fingerprint:       {first}", lines[4]);
        Assert.Equal("    Length (in bits):  256", lines[5]);
        Assert.Equal(string.Empty, lines[6]);
        Assert.Equal("1)  User:              Second User () <second@example.org>", lines[7]);
        Assert.Equal($"    Fingerprint:       {second}", lines[9]);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AnyKeyCommand_OpenKeysDirectory_IsMadePrivateWithWarning()
    {
        using var cli = new CliHarness();
        NewPair(cli);
        File.SetUnixFileMode(cli.KeysDir, (UnixFileMode)Convert.ToInt32("755", 8));

        Assert.Equal(0, cli.Run("key", "list"));

        Assert.Contains($"WARNING: keys directory {cli.KeysDir} had mode 755; set it to 700", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), File.GetUnixFileMode(cli.KeysDir));
    }

    [Fact]
    public void List_Secret_ListsPrivateKeyring()
    {
        using var cli = new CliHarness();
        NewPair(cli);

        Assert.Equal(0, cli.Run("key", "list", "--secret"));
        Assert.StartsWith($"Private key listing ({Path.Combine(cli.KeysDir, "pgp-secret")}):", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void List_CorruptKeyring_Exit255WithReason()
    {
        using var cli = new CliHarness();
        Directory.CreateDirectory(cli.KeysDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(cli.KeysDir, "pgp-public"), "garbage");

        var code = cli.Run("key", "list");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("FATAL:   ", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("is not an OpenPGP key file", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExportThenImport_IntoOtherKeysDir_RoundTripsPublicKey()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        var file = Path.Combine(cli.Home, "pub.asc");

        Assert.Equal(0, cli.Run("key", "export", "--armor", fingerprint, file));
        Assert.Equal($"Public key with fingerprint {fingerprint} correctly exported to file: {file}\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", File.ReadAllText(file), StringComparison.Ordinal);

        var other = Path.Combine(cli.Home, "other");
        Assert.Equal(0, cli.Run("key", "import", "--keysdir", other, file));
        Assert.Equal($"Key with fingerprint {fingerprint} successfully added to the public keyring\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(new Keyring(other).ReadSecret());
    }

    [Fact]
    public void ExportSecretBinary_ThenImport_AddsToBothRings()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        var file = Path.Combine(cli.Home, "secret.gpg");

        Assert.Equal(0, cli.Run("key", "export", "--secret", fingerprint, file));
        var other = Path.Combine(cli.Home, "other");
        Assert.Equal(0, cli.Run("key", "import", "-d", other, file));

        Assert.Contains("successfully added to the private keyring", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains("successfully added to the public keyring", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Single(new Keyring(other).ReadSecret());
        Assert.Single(new Keyring(other).ReadPublic());
    }

    [Fact]
    public void Import_SameKeyAgain_WarnsAndSucceeds()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        var file = Path.Combine(cli.Home, "pub.gpg");
        cli.Run("key", "export", fingerprint, file);

        Assert.Equal(0, cli.Run("key", "import", file));
        Assert.Contains($"WARNING: the key with fingerprint {fingerprint} already belongs to the public keyring", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is a text file, not a key\n")]
    [InlineData("SIF_MAGIC\0")]
    public void Import_WrongKindOfFile_Exit2WithMessageAndNoKeyring(string content)
    {
        using var cli = new CliHarness();
        var file = Path.Combine(cli.Home, "wrong.txt");
        File.WriteAllText(file, content);

        var code = cli.Run("key", "import", file);

        Assert.Equal(ExitCodes.KeyCommandFailed, code);
        Assert.Contains($"FATAL:   {file} is not an OpenPGP key file", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(cli.KeysDir));
    }

    [Fact]
    public void Import_MissingFile_Exit2()
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "import", Path.Combine(cli.Home, "nope.asc")));
        Assert.Contains("FATAL:   cannot read", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("12345")]
    public void Export_InvalidFingerprint_Exit10(string fingerprint)
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.ExportFailed, cli.Run("key", "export", fingerprint, Path.Combine(cli.Home, "out")));
        Assert.Contains("is not a fingerprint", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_UnknownKey_Exit10AndNoFile()
    {
        using var cli = new CliHarness();
        NewPair(cli);
        var file = Path.Combine(cli.Home, "out");

        Assert.Equal(ExitCodes.ExportFailed, cli.Run("key", "export", new string('A', 40), file));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Export_UnwritableDestination_Exit10NamingFile()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        var file = Path.Combine(cli.Home, "no", "such", "dir", "key.asc");

        Assert.Equal(ExitCodes.ExportFailed, cli.Run("key", "export", fingerprint, file));
        Assert.Contains($"FATAL:   cannot write {file}", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_Public_RemovesOnlyPublicKey()
    {
        using var cli = HarnessWithPair(out var fingerprint);

        Assert.Equal(0, cli.Run("key", "remove", fingerprint.ToLowerInvariant()));

        Assert.Empty(new Keyring(cli.KeysDir).ReadPublic());
        Assert.Single(new Keyring(cli.KeysDir).ReadSecret());
    }

    [Fact]
    public void Remove_Both_RemovesBoth()
    {
        using var cli = HarnessWithPair(out var fingerprint);

        Assert.Equal(0, cli.Run("key", "remove", "--both", "0x" + fingerprint));

        Assert.Empty(new Keyring(cli.KeysDir).ReadPublic());
        Assert.Empty(new Keyring(cli.KeysDir).ReadSecret());
    }

    [Fact]
    public void Remove_Unknown_Exit255WithApptainerMessage()
    {
        using var cli = new CliHarness();
        NewPair(cli);

        Assert.Equal(ExitCodes.Failure, cli.Run("key", "remove", new string('B', 40)));
        Assert.Equal("FATAL:   no key matching given fingerprint found\n", cli.Error.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--secret", "--both")]
    [InlineData("-s", "-p")]
    public void Remove_SecretWithBothOrPublic_RemovesBothAsApptainer(string first, string second)
    {
        using var cli = HarnessWithPair(out var fingerprint);

        Assert.Equal(0, cli.Run("key", "remove", first, second, fingerprint));

        Assert.Empty(new Keyring(cli.KeysDir).ReadPublic());
        Assert.Empty(new Keyring(cli.KeysDir).ReadSecret());
    }

    [Fact]
    public void Remove_PublicFlag_KeepsSecret()
    {
        using var cli = HarnessWithPair(out var fingerprint);

        Assert.Equal(0, cli.Run("key", "remove", "--public", fingerprint));

        Assert.Empty(new Keyring(cli.KeysDir).ReadPublic());
        Assert.Single(new Keyring(cli.KeysDir).ReadSecret());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Global_ImportListExportRemove_UseGlobalPgpPublicInConfDir()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        var confDir = Directory.CreateDirectory(Path.Combine(cli.Home, "etc-apptainer")).FullName;
        cli.Environment["APPTAINER_CONFDIR"] = confDir;
        var exported = Path.Combine(cli.Home, "secret.asc");
        Assert.Equal(0, cli.Run("key", "export", "--secret", "--armor", fingerprint, exported));

        Assert.Equal(0, cli.Run("key", "import", "--global", exported));

        var global = Keyring.Global(confDir);
        Assert.Equal(Path.Combine(confDir, "global-pgp-public"), global.PublicPath);
        Assert.Equal(fingerprint, KeyIdentity.Fingerprint(Assert.Single(global.ReadPublic()).GetPublicKey()));
        Assert.False(File.Exists(Path.Combine(confDir, "pgp-secret")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(global.PublicPath) & ~UnixFileMode.GroupWrite);
        Assert.Equal(0, cli.Run("key", "list", "-g"));
        Assert.Contains(fingerprint, cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains(global.PublicPath, cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, cli.Run("key", "remove", "-g", fingerprint));
        Assert.Empty(global.ReadPublic());
        Assert.Single(new Keyring(cli.KeysDir).ReadPublic());
    }

    [Fact]
    public void Global_MissingConfDir_FailsWithoutCreatingIt()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        var missing = Path.Combine(cli.Home, "no-such-confdir");
        cli.Environment["APPTAINER_CONFDIR"] = missing;
        var exported = Path.Combine(cli.Home, "public.asc");
        Assert.Equal(0, cli.Run("key", "export", fingerprint, exported));

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "import", "--global", exported));

        Assert.Contains($"global keyring directory {missing} does not exist", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Import_NewPassword_ReprotectsPrivateKey()
    {
        using var cli = new CliHarness();
        var exported = ExportSecretProtectedWith("old secret", cli.Home);
        AnswerNewPassword(cli, currentPassphrase: "old secret", newPassphrase: "new secret");

        Assert.Equal(0, cli.Run("key", "import", "--new-password", exported));

        var secret = new Keyring(cli.KeysDir).ReadSecret().Single().GetSecretKey();
        Assert.NotNull(secret.ExtractPrivateKey("new secret".ToCharArray()));
        Assert.Throws<Org.BouncyCastle.Bcpg.OpenPgp.PgpException>(() => secret.ExtractPrivateKey("old secret".ToCharArray()));
    }

    [Fact]
    public void Import_NewPasswordWrongOldOne_Exit2KeyringUnchanged()
    {
        using var cli = new CliHarness();
        var exported = ExportSecretProtectedWith("old secret", cli.Home);
        AnswerNewPassword(cli, currentPassphrase: "wrong", newPassphrase: "new secret");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "import", "--new-password", exported));

        Assert.Contains("wrong passphrase?", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(new Keyring(cli.KeysDir).ReadSecret());
    }

    // --new-password asks for the new passphrase twice; the current one comes from the environment.
    private static void AnswerNewPassword(CliHarness cli, string currentPassphrase, string newPassphrase)
    {
        cli.Environment["SIFSIGN_PASSPHRASE"] = currentPassphrase;
        cli.Terminal.Answers.Enqueue(newPassphrase);
        cli.Terminal.Answers.Enqueue(newPassphrase);
    }

    /// <summary>Makes a key pair in a separate home, protected by <paramref name="passphrase"/>, and exports its secret key into <paramref name="directory"/>.</summary>
    private static string ExportSecretProtectedWith(string passphrase, string directory)
    {
        using var source = new CliHarness();
        source.Environment["SIFSIGN_PASSPHRASE"] = passphrase;
        Assert.Equal(0, source.Run("key", "newpair", "--algorithm", "ed25519", "-N", "A", "-E", "a@example.org", "-C", ""));
        var fingerprint = KeyIdentity.Fingerprint(new Keyring(source.KeysDir).ReadSecret().Single().GetPublicKey());
        var exported = Path.Combine(directory, "secret.gpg");
        Assert.Equal(0, source.Run("key", "export", "-s", fingerprint, exported));
        return exported;
    }

    [Fact]
    public void NewPair_EmptyPasswordFlag_UnprotectedWithoutPrompt()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", "Jane", "-E", "jane@example.org", "-C", "", "-P", ""));

        Assert.Empty(cli.Terminal.Prompts);
        var secret = new Keyring(cli.KeysDir).ReadSecret().Single().GetSecretKey();
        Assert.Equal(Org.BouncyCastle.Bcpg.SymmetricKeyAlgorithmTag.Null, secret.KeyEncryptionAlgorithm);
    }

    [Fact]
    public void NewPair_PasswordFlag_ProtectsKey()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", "Jane", "-E", "jane@example.org", "-C", "", "--password", "s3cret"));

        var secret = new Keyring(cli.KeysDir).ReadSecret().Single().GetSecretKey();
        Assert.NotNull(secret.ExtractPrivateKey("s3cret".ToCharArray()));
    }

    [Fact]
    public void Push_Key_PostsArmoredKeyAndReportsServerResponse()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        string? body = null;
        cli.Keyserver = request =>
        {
            body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            return CliHarness.Respond(HttpStatusCode.OK, "Key added");
        };

        var code = cli.Run("key", "push", "--url", "hkp://keys.test", fingerprint);

        Assert.Equal(0, code);
        Assert.Equal("http://keys.test:11371/pks/add", cli.Requests.Single().RequestUri!.ToString());
        Assert.StartsWith("keytext=-----BEGIN+PGP+PUBLIC+KEY+BLOCK", body, StringComparison.Ordinal);
        Assert.Contains("INFO:    Key server response: Key added", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal($"public key `{fingerprint}' pushed to server successfully\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Push_NoKeyserverConfigured_Exit2SayingHowToSetOne()
    {
        using var cli = HarnessWithPair(out var fingerprint);

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "push", fingerprint));
        Assert.Contains("FATAL:   no keyserver configured: pass --url URL, set SIFSIGN_KEYSERVER=URL, or run 'sifsign keyserver add URL'", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(cli.Requests);
    }

    [Fact]
    public void Push_ServerDown_Exit2NamingServer()
    {
        using var cli = HarnessWithPair(out var fingerprint);
        cli.Environment["SIFSIGN_KEYSERVER"] = "http://127.0.0.1:1";

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "push", fingerprint));
        Assert.Contains("FATAL:   cannot reach keyserver http://127.0.0.1:1/", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gopher://keys.test")]
    [InlineData("not a url")]
    public void Push_BadKeyserverUrl_Exit2WithoutRequest(string url)
    {
        using var cli = HarnessWithPair(out var fingerprint);

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "push", "--url", url, fingerprint));
        Assert.Contains("FATAL:   invalid keyserver URL", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(cli.Requests);
    }

    [Fact]
    public void Pull_KeyFromServer_AddsToPublicKeyring()
    {
        using var source = new CliHarness();
        var fingerprint = NewPair(source);
        var exported = Path.Combine(source.Home, "k.asc");
        source.Run("key", "export", "--armor", fingerprint, exported);
        var armored = File.ReadAllText(exported);
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.OK, armored);

        var code = cli.Run("key", "pull", "--url", "https://keys.test", fingerprint);

        Assert.Equal(0, code);
        Assert.Equal($"https://keys.test/pks/lookup?exact=on&op=get&search=0x{fingerprint.ToLowerInvariant()}", cli.Requests.Single().RequestUri!.ToString());
        Assert.Equal($"1 key(s) added to keyring of trust {Path.Combine(cli.KeysDir, "pgp-public")}\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Single(new Keyring(cli.KeysDir).ReadPublic());
    }

    [Fact]
    public void Pull_NotFound_Exit2()
    {
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.NotFound, "not found");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "pull", "--url", "https://keys.test", new string('C', 40)));
        Assert.Contains("no matching keys found", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pull_ServerSendsHtml_Exit2AndKeyringUntouched()
    {
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.OK, "<html>maintenance</html>");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "pull", "--url", "https://keys.test", new string('C', 40)));
        Assert.Contains("is not an OpenPGP key file", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(cli.KeysDir));
    }

    [Fact]
    public void Search_Short_PrintsApptainerTableWithGoTabwriterBlocks()
    {
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.OK,
            "info:1:2\n" +
            "pub:65667554D3245D8304B1F45B01B4B5A517F56CA4:1:4096:1795591942::\n" +
            "uid:Test%20User%20%3Ctest@example.org%3E:1795591942::\n" +
            "pub:0123456789ABCDEF0123456789ABCDEF01234567:22:256:1700000000:1900000000:e\n" +
            "uid:Other%20Person%20%3Cother@example.org%3E:1700000000::\n" +
            "uid:Other%20Alias%20%3Calias@example.org%3E:1700000000::\n");

        var code = cli.Run("key", "search", "--url", "https://keys.test", "example.org");

        Assert.Equal(0, code);
        Assert.Equal(
            "Showing 2 results\n\n" +
            "KEY ID    BITS  NAME/EMAIL\n" +
            "17F56CA4  4096  Test User <test@example.org>\n" +
            "\n" +
            "01234567  256  Other Person <other@example.org>\n" +
            "               Other Alias <alias@example.org>\n",
            cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Search_LongList_PrintsFingerprintAlgorithmDatesStatus()
    {
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.OK,
            "info:1:1\npub:0123456789ABCDEF0123456789ABCDEF01234567:22:256:1700000000:1900000000:e\nuid:Other:::\n");

        Assert.Equal(0, cli.Run("key", "search", "-l", "--url", "https://keys.test", "Other"));

        Assert.Equal(
            "Showing 1 results\n\n" +
            "FINGERPRINT                               ALGORITHM  BITS  CREATION DATE                  EXPIRATION DATE                STATUS     NAME/EMAIL\n" +
            "0123456789ABCDEF0123456789ABCDEF01234567  EdDSA      256   2023-11-14 22:13:20 +0000 UTC  2030-03-17 17:46:40 +0000 UTC  [expired]  Other\n",
            cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Search_MalformedIndex_Exit2WithReason()
    {
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.OK, "info:1:9\npub:7FF7BA84:1:2048::\n");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "search", "--url", "https://keys.test", "x"));
        Assert.Contains("FATAL:   malformed index from keyserver: info line announces 9 keys but 1 were listed", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_NoMatch_Exit2()
    {
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.NotFound, string.Empty);

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "search", "--url", "https://keys.test", "nobody"));
        Assert.Contains("FATAL:   no matching keys found", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_UsesFirstConfiguredKeyserver()
    {
        using var cli = new CliHarness();
        Assert.Equal(0, cli.Run("keyserver", "add", "https://first.test"));
        Assert.Equal(0, cli.Run("keyserver", "add", "https://second.test"));
        cli.Keyserver = _ => CliHarness.Respond(HttpStatusCode.NotFound, string.Empty);

        cli.Run("key", "search", "x");

        Assert.Equal("first.test", cli.Requests.Single().RequestUri!.Host);
    }
}
