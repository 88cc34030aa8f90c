using Microsoft.Extensions.Time.Testing;
using TestKit.OpenPgp;

namespace SifSign.Cli.Tests.Commands;

/// <summary>verify --refresh, revoked and expired keys, with the reference image signed by the fixture key.</summary>
public class VerifyRefreshTests
{
    private const string Url = "https://keys.test";

    private static string Image => Fixtures.Image("one-group-signed.sif");

    [Fact]
    public void Refresh_KeyRevokedOnKeyserver_FailsKeyRevoked_TextAndJson()
    {
        using var cli = FixtureKeyring.Create();
        var revoked = KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli));
        cli.Keyserver = _ => FixtureKeyring.Serve(revoked);

        Assert.Equal(0, cli.Run("verify", "--url", Url, Image));
        Assert.Empty(cli.Requests);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--refresh", "--url", Url, Image));
        Assert.Contains("key revoked", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"search=0x{Fixtures.KeyFingerprint.ToLowerInvariant()}", cli.Requests[0].RequestUri!.Query, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--refresh", "--json", "--url", Url, Image));
        Assert.Contains("\"SignerKeys\": null", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains("key revoked", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_KeyserverUnreachable_WarnsAndLocalDecisionStands()
    {
        using var cli = FixtureKeyring.Create();

        Assert.Equal(0, cli.Run("verify", "--refresh", "--url", Url, Image));

        Assert.Contains($"WARNING: cannot refresh key {Fixtures.KeyFingerprint}", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the local copy is used", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_RevocationNotMadeByTheKey_IsIgnored()
    {
        using var cli = FixtureKeyring.Create();
        var forged = KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), FixtureKeyring.Stranger());
        cli.Keyserver = _ => FixtureKeyring.Serve(forged);

        Assert.Equal(0, cli.Run("verify", "--refresh", "--url", Url, Image));
    }

    [Fact]
    public void Refresh_LocalKeyExpiredButExtendedOnKeyserver_VerifiesWithoutSaving()
    {
        using var cli = FixtureKeyring.Create();
        var owner = FixtureKeyring.Owner(cli);
        var created = FixtureKeyring.PublicKey(cli).GetPublicKey().CreationTime;
        var expired = KeyUpdates.SetExpiry(FixtureKeyring.PublicKey(cli), owner, created.AddDays(1), KeyRings.WholeSecondsUtc(TimeSpan.FromDays(-2)));
        FixtureKeyring.Replace(cli, expired);
        var extended = KeyUpdates.SetExpiry(expired, owner, KeyRings.WholeSecondsUtc(TimeSpan.FromDays(365)), KeyRings.WholeSecondsUtc(TimeSpan.FromDays(-1)));
        cli.Keyserver = _ => FixtureKeyring.Serve(extended);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--url", Url, Image));
        Assert.Contains("openpgp: key expired", cli.Error.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, cli.Run("verify", "--refresh", "--url", Url, Image));
        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Image));
    }

    [Fact]
    public void LocalKeyRevoked_Refused()
    {
        using var cli = FixtureKeyring.Create();
        FixtureKeyring.Replace(cli, KeyUpdates.Revoke(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli)));

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Image));

        Assert.Contains("integrity: signature object 3 not valid: openpgp: key revoked", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LocalKeyExpiredSinceSigning_RefusedUnlessTheClockIsBeforeExpiry()
    {
        using var cli = FixtureKeyring.Create();
        // A self-signature newer than the fixture's own (2022), setting an expiry one day later.
        var selfSigned = FixtureKeyring.PublicKey(cli).GetPublicKey().GetSignatures().Max(s => s.CreationTime).AddDays(1);
        FixtureKeyring.Replace(cli, KeyUpdates.SetExpiry(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli), selfSigned.AddDays(1), selfSigned));
        Assert.True(SignatureTime(cli) < selfSigned);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Image));
        Assert.Contains("integrity: signature object 3 not valid: openpgp: key expired", cli.Error.ToString(), StringComparison.Ordinal);

        cli.Time = new FakeTimeProvider(new DateTimeOffset(selfSigned.AddHours(1)));
        Assert.Equal(0, cli.Run("verify", "--local", Image));
    }

    [Fact]
    public void ClockBeforeTheSignature_RefusedAsSignatureExpired()
    {
        using var cli = FixtureKeyring.Create();
        cli.Time = new FakeTimeProvider(new DateTimeOffset(SignatureTime(cli).AddSeconds(-1)));

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Image));

        Assert.Contains("integrity: signature object 3 not valid: openpgp: signature expired", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LocalKeyExpiresInTheFuture_Verifies()
    {
        using var cli = FixtureKeyring.Create();
        FixtureKeyring.Replace(cli, KeyUpdates.SetExpiry(FixtureKeyring.PublicKey(cli), FixtureKeyring.Owner(cli), KeyRings.WholeSecondsUtc(TimeSpan.FromDays(30)), KeyRings.WholeSecondsUtc()));

        Assert.Equal(0, cli.Run("verify", "--local", Image));
    }

    /// <summary>When the fixture image was signed: read from its signature with BouncyCastle.</summary>
    private static DateTime SignatureTime(CliHarness cli)
    {
        Assert.Equal(0, cli.Run("sif", "dump", "3", Image));
        var text = System.Text.Encoding.ASCII.GetString(cli.RawOut);
        var armored = text[text.IndexOf("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal)..];
        using var decoder = Org.BouncyCastle.Bcpg.OpenPgp.PgpUtilities.GetDecoderStream(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(armored)));
        var signatures = (Org.BouncyCastle.Bcpg.OpenPgp.PgpSignatureList)new Org.BouncyCastle.Bcpg.OpenPgp.PgpObjectFactory(decoder).NextPgpObject();
        return signatures[0].CreationTime;
    }
}
