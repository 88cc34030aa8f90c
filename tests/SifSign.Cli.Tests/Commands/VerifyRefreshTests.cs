using System.Net;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Cli.Tests.TestSupport;
using SifSign.Keys;

namespace SifSign.Cli.Tests.Commands;

/// <summary>verify --refresh and revoked keys, with the reference image signed by the fixture key.</summary>
public class VerifyRefreshTests
{
    private static CliHarness WithFixtureKey()
    {
        var cli = new CliHarness();
        cli.Environment["APPTAINER_CONFDIR"] = Path.Combine(cli.Home, "confdir");
        Assert.Equal(0, cli.Run("key", "import", Fixtures.PrivateKey));
        return cli;
    }

    /// <summary>The fixture key with a key revocation signature, made by <paramref name="revoker"/>'s secret key.</summary>
    private static byte[] Revoked(CliHarness cli, PgpSecretKeyRing? revoker = null)
    {
        var secret = revoker ?? new Keyring(cli.KeysDir).ReadSecret().Single();
        var privateKey = secret.GetSecretKey().ExtractPrivateKey([]);
        var publicRing = new Keyring(cli.KeysDir).ReadPublic().Single();
        var primary = publicRing.GetPublicKey();
        var generator = new PgpSignatureGenerator(secret.GetPublicKey().Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.KeyRevocation, privateKey);
        var revocation = generator.GenerateCertification(primary);
        var revoked = PgpPublicKeyRing.InsertPublicKey(publicRing, PgpPublicKey.AddCertification(primary, revocation));
        return KeyFile.Encode([revoked], armor: true);
    }

    private static HttpResponseMessage Serve(byte[] key) =>
        new(HttpStatusCode.OK) { Content = new StringContent(Encoding.ASCII.GetString(key), Encoding.ASCII, "application/pgp-keys") };

    [Fact]
    public void Refresh_KeyRevokedOnKeyserver_FailsKeyRevoked_TextAndJson()
    {
        using var cli = WithFixtureKey();
        var revoked = Revoked(cli);
        cli.Keyserver = _ => Serve(revoked);
        var image = Fixtures.Image("one-group-signed.sif");

        Assert.Equal(0, cli.Run("verify", "--url", "https://keys.test", image));
        Assert.Empty(cli.Requests);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--refresh", "--url", "https://keys.test", image));
        Assert.Contains("key revoked", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"search=0x{Fixtures.KeyFingerprint.ToLowerInvariant()}", cli.Requests[0].RequestUri!.Query, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--refresh", "--json", "--url", "https://keys.test", image));
        Assert.Contains("\"SignerKeys\": null", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains("key revoked", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_KeyserverUnreachable_WarnsAndLocalDecisionStands()
    {
        using var cli = WithFixtureKey();

        Assert.Equal(0, cli.Run("verify", "--refresh", "--url", "https://keys.test", Fixtures.Image("one-group-signed.sif")));

        Assert.Contains($"WARNING: cannot refresh key {Fixtures.KeyFingerprint}", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the local copy is used", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_RevocationNotMadeByTheKey_IsIgnored()
    {
        using var cli = WithFixtureKey();
        using var other = new CliHarness();
        other.Environment["SIFSIGN_PASSPHRASE"] = string.Empty;
        Assert.Equal(0, other.Run("key", "newpair", "--algorithm", "ed25519", "-N", "Forger", "-E", "forger@example.org", "-C", ""));
        var forged = Revoked(cli, new Keyring(other.KeysDir).ReadSecret().Single());
        cli.Keyserver = _ => Serve(forged);

        Assert.Equal(0, cli.Run("verify", "--refresh", "--url", "https://keys.test", Fixtures.Image("one-group-signed.sif")));
    }

    [Fact]
    public void LocalKeyRevoked_Refused()
    {
        using var cli = WithFixtureKey();
        var revoked = Path.Combine(cli.Home, "revoked.asc");
        File.WriteAllBytes(revoked, Revoked(cli));
        Assert.Equal(0, cli.Run("key", "remove", Fixtures.KeyFingerprint));
        Assert.Equal(0, cli.Run("key", "import", revoked));

        Assert.Equal(ExitCodes.Failure, cli.Run("verify", "--local", Fixtures.Image("one-group-signed.sif")));

        Assert.Contains("key revoked", cli.Error.ToString(), StringComparison.Ordinal);
    }
}
