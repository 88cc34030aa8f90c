using System.Text.Json;

namespace SifSign.Cli.Tests.Commands;

public class VerifyCommandTests
{
    private static CliHarness WithFixtureKey()
    {
        var cli = new CliHarness();
        Assert.Equal(0, cli.Run("key", "import", Fixtures.PrivateKey));
        return cli;
    }

    /// <summary>The fixture's public key as `key export --armor` writes it: what a keyserver would answer.</summary>
    private static string FixturePublicKeyArmored()
    {
        using var owner = WithFixtureKey();
        var armoredPath = Path.Combine(owner.Home, "pub.asc");
        Assert.Equal(0, owner.Run("key", "export", "--armor", Fixtures.KeyFingerprint, armoredPath));
        return File.ReadAllText(armoredPath);
    }

    [Fact]
    public void Verify_SignedFixture_PrintsApptainerTextReport()
    {
        using var cli = WithFixtureKey();
        var image = Fixtures.Image("one-group-signed.sif");

        Assert.Equal(0, cli.Run("verify", image));

        Assert.Equal(
            "[LOCAL]            Signing entity: Unit Test <unit@test.com>\n" +
            $"[LOCAL]            Fingerprint: {Fixtures.KeyFingerprint}\n" +
            "Objects verified:\n" +
            "ID  |GROUP   |LINK    |TYPE\n" +
            "------------------------------------------------\n" +
            "1   |1       |NONE    |FS\n" +
            "2   |1       |NONE    |FS\n",
            cli.Out.ToString());
        Assert.Equal(
            "INFO:    Verifying image with PGP key material\n" +
            $"INFO:    Verified signature(s) from image '{image}'\n",
            cli.Error.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(cli.Requests);
    }

    [Fact]
    public void Verify_SignerOnlyInGlobalKeyring_VerifiesLabelledGlobal()
    {
        using var cli = new CliHarness();
        var confDir = Directory.CreateDirectory(Path.Combine(cli.Home, "confdir")).FullName;
        cli.Environment["APPTAINER_CONFDIR"] = confDir;
        Assert.Equal(0, cli.Run("key", "import", "--global", Fixtures.PrivateKey));
        Assert.False(File.Exists(Path.Combine(cli.KeysDir, "pgp-public")));

        Assert.Equal(0, cli.Run("verify", "--local", Fixtures.Image("one-group-signed.sif")));

        Assert.StartsWith(
            "[GLOBAL]           Signing entity: Unit Test <unit@test.com>\n" +
            $"[GLOBAL]           Fingerprint: {Fixtures.KeyFingerprint}\n",
            cli.Out.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignerInNoKeyringWithGlobalEmpty_FailsLocally()
    {
        using var cli = new CliHarness();
        cli.Environment["APPTAINER_CONFDIR"] = Directory.CreateDirectory(Path.Combine(cli.Home, "confdir")).FullName;

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Fixtures.Image("one-group-signed.sif")));
    }

    [Fact]
    public void Verify_Json_PrintsGoEncodedReport()
    {
        using var cli = WithFixtureKey();

        Assert.Equal(0, cli.Run("verify", "--json", Fixtures.Image("one-group-signed.sif")));

        var entry =
            "    {\n" +
            "      \"Signer\": {\n" +
            "        \"Partition\": \"FS\",\n" +
            "        \"Name\": \"Unit Test \\u003cunit@test.com\\u003e\",\n" +
            "        \"Fingerprint\": \"12045c8c0b1004d058de4beda20c27ee7ff7ba84\",\n" +
            "        \"KeyLocal\": true,\n" +
            "        \"KeyCheck\": true,\n" +
            "        \"DataCheck\": true\n" +
            "      }\n" +
            "    }";
        Assert.Equal("{\n  \"Signatures\": 1,\n  \"SignerKeys\": [\n" + entry + ",\n" + entry + "\n  ]\n}\n", cli.Out.ToString());
    }

    [Fact]
    public void Verify_UnsignedImageJson_PrintsNullSignerKeysAndFails()
    {
        using var cli = WithFixtureKey();

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--json", Fixtures.Image("one-group.sif")));

        Assert.Equal("{\n  \"Signatures\": 0,\n  \"SignerKeys\": null\n}\n", cli.Out.ToString());
        Assert.Contains("FATAL:   Failed to verify container: integrity: signature not found for object group 1", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TamperedObjectJson_ReportsDataCheckFalse()
    {
        using var cli = WithFixtureKey();
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif", tamperAt: 36864, tamperWith: 0x42);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--json", image));

        using var json = JsonDocument.Parse(cli.Out.ToString());
        var signer = json.RootElement.GetProperty("SignerKeys").EnumerateArray().Last().GetProperty("Signer");
        Assert.False(signer.GetProperty("DataCheck").GetBoolean());
        Assert.Contains("integrity: data object integrity compromised: 2", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TamperedObjectText_PrintsErrorBlock()
    {
        using var cli = WithFixtureKey();
        var image = Fixtures.CopyImage(cli, "one-group-signed.sif", tamperAt: 32768, tamperWith: 0x00);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", image));
        Assert.EndsWith("\nError encountered during signature verification: data object integrity compromised: 1\n", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LegacyWithoutFlag_FailsWithReferenceMessage()
    {
        using var cli = WithFixtureKey();

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", Fixtures.Image("one-group-signed-legacy.sif")));
        Assert.Contains("integrity: signature not found for object group 1", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, cli.Run("verify", "--legacy-insecure", Fixtures.Image("one-group-signed-legacy.sif")));
    }

    [Fact]
    public void Verify_KeyOnlyOnKeyserver_FetchesByKeyIdAndPrintsRemote()
    {
        var armored = FixturePublicKeyArmored();
        using var cli = new CliHarness();
        cli.Environment["SIFSIGN_KEYSERVER"] = "https://keys.test";
        cli.Keyserver = _ => CliHarness.Respond(HttpStatusCode.OK, armored);

        Assert.Equal(0, cli.Run("verify", Fixtures.Image("one-group-signed.sif")));

        Assert.StartsWith("[REMOTE]           Signing entity: Unit Test <unit@test.com>\n", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Equal("https://keys.test/pks/lookup?exact=on&op=get&search=0xa20c27ee7ff7ba84", cli.Requests.Single().RequestUri!.ToString());
        Assert.False(File.Exists(Path.Combine(cli.KeysDir, "pgp-public")));
    }

    [Fact]
    public void Verify_RemoteJson_KeyLocalFalse()
    {
        var armored = FixturePublicKeyArmored();
        using var cli = CliHarness.AnsweringKeyserver(HttpStatusCode.OK, armored);

        Assert.Equal(0, cli.Run("verify", "--json", "--url", "hkps://keys.test", Fixtures.Image("one-group-signed.sif")));
        Assert.Contains("\"KeyLocal\": false", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Local_NeverAsksKeyserver()
    {
        using var cli = new CliHarness();
        cli.Environment["SIFSIGN_KEYSERVER"] = "https://keys.test";

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Fixtures.Image("one-group-signed.sif")));
        Assert.Empty(cli.Requests);
        Assert.Contains("signature object 3 not valid", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ApptainerLocalVerifyVariable_ActsAsLocal()
    {
        using var cli = new CliHarness();
        cli.Environment["SIFSIGN_KEYSERVER"] = "https://keys.test";
        cli.Environment["APPTAINER_LOCAL_VERIFY"] = "true";

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", Fixtures.Image("one-group-signed.sif")));
        Assert.Empty(cli.Requests);
    }

    [Theory]
    [InlineData(null, null, "no keyserver configured", true)]
    [InlineData("http://127.0.0.1:1", null, "cannot reach keyserver http://127.0.0.1:1/", false)]
    [InlineData("https://keys.test", "<html>nope</html>", "the keyserver answer is not an OpenPGP key file", false)]
    [InlineData("ftp://keys.test", null, "invalid keyserver URL", true)]
    public void Verify_KeyserverUnusable_WarnsAndFails(string? url, string? answer, string warning, bool asksNothing)
    {
        using var cli = new CliHarness();
        if (answer is not null)
        {
            cli.Keyserver = _ => CliHarness.Respond(HttpStatusCode.OK, answer);
        }

        string[] args = url is null
            ? ["verify", Fixtures.Image("one-group-signed.sif")]
            : ["verify", "--url", url, Fixtures.Image("one-group-signed.sif")];
        Assert.Equal(ExitCodes.Failure, cli.Run(args));
        Assert.Contains("WARNING: failed to get key material: " + warning, cli.Error.ToString(), StringComparison.Ordinal);
        if (asksNothing)
        {
            Assert.Empty(cli.Requests);
        }
    }

    [Fact]
    public void Verify_MissingImage_Exit255()
    {
        using var cli = new CliHarness();
        var path = Path.Combine(cli.Home, "nope.sif");

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", path));
        Assert.Contains($"FATAL:   {path}", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SifIdSubset_Succeeds()
    {
        using var cli = WithFixtureKey();

        Assert.Equal(0, cli.Run("verify", "--sif-id", "2", Fixtures.Image("one-group-signed.sif")));
        Assert.EndsWith("2   |1       |NONE    |FS\n", cli.Out.ToString(), StringComparison.Ordinal);
    }
}
