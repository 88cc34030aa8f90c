using Org.BouncyCastle.Bcpg.OpenPgp;
using TestKit.OpenPgp;

namespace SifSign.Cli.Tests.Commands.Key;

/// <summary>key refresh against an in-test keyserver that serves what the key's owner published since.</summary>
public class KeyRefreshTests
{
    private const string Url = "https://keys.test";

    [Fact]
    public void Refresh_RevokedOnKeyserver_ReportsRevokedAndKeyringRefusesTheKey()
    {
        using var cli = FixtureKeyring.Create();
        var revoked = KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli));
        cli.Keyserver = _ => FixtureKeyring.Serve(revoked);

        Assert.Equal(0, cli.Run("key", "refresh", "--url", Url));

        Assert.Equal($"{Fixtures.KeyFingerprint}: revoked\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Contains($"search=0x{Fixtures.KeyFingerprint.ToLowerInvariant()}", cli.Requests.Single().RequestUri!.Query, StringComparison.Ordinal);
        Assert.True(FixtureKeyring.PublicKey(cli).GetPublicKey().HasRevocation());
        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Fixtures.Image("one-group-signed.sif")));
        Assert.Contains("key revoked", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_NewSubkeysUserIdAndExpiry_ReportsEachAndMerges()
    {
        using var cli = FixtureKeyring.Create();
        var owner = FixtureKeyring.Owner(cli);
        var expiry = KeyRings.WholeSecondsUtc(TimeSpan.FromDays(400));
        var published = KeyUpdates.AddSubkey(KeyUpdates.AddSubkey(FixtureKeyring.PublicKey(cli), owner), owner);
        published = KeyUpdates.AddUserId(published, owner, "Second <second@example.org>");
        published = KeyUpdates.SetExpiry(published, owner, expiry, KeyRings.WholeSecondsUtc());
        var subkeysBefore = FixtureKeyring.PublicKey(cli).GetPublicKeys().Count();
        cli.Keyserver = _ => FixtureKeyring.Serve(published);

        Assert.Equal(0, cli.Run("key", "refresh", "--url", Url, Fixtures.KeyFingerprint));

        Assert.Equal(
            $"{Fixtures.KeyFingerprint}: 2 new subkeys, 1 new user ID, expiry extended to {expiry:yyyy-MM-dd HH:mm:ss} UTC\n",
            cli.Out.ToString().ReplaceLineEndings("\n"));
        var merged = FixtureKeyring.PublicKey(cli);
        Assert.Equal(subkeysBefore + 2, merged.GetPublicKeys().Count());
        Assert.Contains("Second <second@example.org>", merged.GetPublicKey().GetUserIds());

        Assert.Equal(0, cli.Run("key", "refresh", "--url", Url));
        Assert.Equal($"{Fixtures.KeyFingerprint}: unchanged\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, cli.Run("verify", "--local", Fixtures.Image("one-group-signed.sif")));
    }

    [Fact]
    public void Refresh_ForgedAdditions_NotMergedAndUnchanged()
    {
        using var cli = FixtureKeyring.Create();
        var forger = FixtureKeyring.Stranger();
        var forged = KeyUpdates.AddSubkey(KeyUpdates.AddUserId(KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), forger), forger, "Mallory <m@example.org>"), forger);
        var before = File.ReadAllBytes(new Keyring(cli.KeysDir).PublicPath);
        cli.Keyserver = _ => FixtureKeyring.Serve(forged);

        Assert.Equal(0, cli.Run("key", "refresh", "--url", Url));

        Assert.Equal($"{Fixtures.KeyFingerprint}: unchanged\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(before, File.ReadAllBytes(new Keyring(cli.KeysDir).PublicPath));
    }

    [Fact]
    public void Refresh_NotOnKeyserverOrAnotherKeyServed_ReportsNotOnKeyserverExit0()
    {
        using var cli = FixtureKeyring.Create();
        cli.Keyserver = _ => CliHarness.Respond(HttpStatusCode.NotFound, "not found");

        Assert.Equal(0, cli.Run("key", "refresh", "--url", Url));
        Assert.Equal($"{Fixtures.KeyFingerprint}: not on the keyserver\n", cli.Out.ToString().ReplaceLineEndings("\n"));

        var stranger = FixtureKeyring.Stranger();
        cli.Keyserver = _ => FixtureKeyring.Serve(new PgpPublicKeyRing(stranger.PublicKey.GetEncoded()));

        Assert.Equal(0, cli.Run("key", "refresh", "--url", Url));
        Assert.Equal($"{Fixtures.KeyFingerprint}: not on the keyserver\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Refresh_ConfiguredKeyservers_AskedInOrderUntilOneHasTheKey()
    {
        using var cli = FixtureKeyring.Create();
        Assert.Equal(0, cli.Run("keyserver", "add", "https://first.test"));
        Assert.Equal(0, cli.Run("keyserver", "add", "https://second.test"));
        var revoked = KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli));
        cli.Keyserver = request => request.RequestUri!.Host == "second.test" ? FixtureKeyring.Serve(revoked) : CliHarness.Respond(HttpStatusCode.NotFound, "no");

        Assert.Equal(0, cli.Run("key", "refresh"));

        Assert.Equal(["first.test", "second.test"], cli.Requests.Select(r => r.RequestUri!.Host));
        Assert.Equal($"{Fixtures.KeyFingerprint}: revoked\n", cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Refresh_KeyserverUnreachable_ErrorPerKeyExit2KeyringUntouched()
    {
        using var cli = FixtureKeyring.Create();
        var before = File.ReadAllBytes(new Keyring(cli.KeysDir).PublicPath);

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "refresh", "--url", Url));

        var error = cli.Error.ToString();
        Assert.Contains($"ERROR:   {Fixtures.KeyFingerprint}: ", error, StringComparison.Ordinal);
        Assert.Contains("FATAL:   1 of 1 key(s) could not be refreshed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(new Keyring(cli.KeysDir).PublicPath));
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n")]
    public void Refresh_KeyserverSendsGarbage_ErrorExit2KeyringUntouched(string body)
    {
        using var cli = FixtureKeyring.Create();
        var before = File.ReadAllBytes(new Keyring(cli.KeysDir).PublicPath);
        cli.Keyserver = _ => CliHarness.Respond(HttpStatusCode.OK, body);

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "refresh", "--url", Url));

        Assert.Contains($"ERROR:   {Fixtures.KeyFingerprint}: ", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(new Keyring(cli.KeysDir).PublicPath));
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", "no key matching")]
    [InlineData("xyz", "is not a fingerprint")]
    public void Refresh_NamedKeyNotUsable_FailsExit2WithoutAsking(string name, string message)
    {
        using var cli = FixtureKeyring.Create();
        cli.Keyserver = _ => throw new InvalidOperationException("must not be asked");

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "refresh", "--url", Url, name));

        Assert.Contains(message, cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(cli.Requests);
    }

    [Fact]
    public void Refresh_Global_RefreshesTheGlobalKeyring()
    {
        using var cli = FixtureKeyring.Create();
        var confDir = cli.Environment["APPTAINER_CONFDIR"];
        Directory.CreateDirectory(confDir);
        var global = Keyring.Global(confDir);
        global.WritePublic([FixtureKeyring.PublicKey(cli)]);
        var revoked = KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli));
        cli.Keyserver = _ => FixtureKeyring.Serve(revoked);

        Assert.Equal(0, cli.Run("key", "refresh", "--global", "--url", Url));

        Assert.Equal($"{Fixtures.KeyFingerprint}: revoked\n", cli.Out.ToString().ReplaceLineEndings("\n"));
        Assert.True(global.ReadPublic().Single().GetPublicKey().HasRevocation());
        Assert.False(FixtureKeyring.PublicKey(cli).GetPublicKey().HasRevocation());
    }

    [Fact]
    public void Refresh_NoKeyserverConfigured_FailsInOneLine()
    {
        using var cli = FixtureKeyring.Create();

        Assert.Equal(ExitCodes.KeyCommandFailed, cli.Run("key", "refresh"));

        Assert.Contains("FATAL:   no keyserver configured", cli.Error.ToString(), StringComparison.Ordinal);
    }
}
