using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SifSign.Cli.Tests.TestSupport;

/// <summary>A harness whose keyring holds the reference fixture key (secret and public), and a keyserver answer serving keys.</summary>
internal static class FixtureKeyring
{
    public static CliHarness Create()
    {
        var cli = new CliHarness();
        cli.Environment["APPTAINER_CONFDIR"] = Path.Combine(cli.Home, "confdir");
        Assert.Equal(0, cli.Run("key", "import", Fixtures.PrivateKey));
        return cli;
    }

    /// <summary>The fixture key's public key as the keyring holds it now.</summary>
    public static PgpPublicKeyRing PublicKey(CliHarness cli) => new Keyring(cli.KeysDir).ReadPublic().Single();

    /// <summary>The fixture key's secret primary key: what its owner signs new self-signatures with.</summary>
    public static PgpSecretKey Owner(CliHarness cli) => new Keyring(cli.KeysDir).ReadSecret().Single().GetSecretKey();

    /// <summary>The secret primary key of a fresh Ed25519 key that is not the fixture's.</summary>
    public static PgpSecretKey Stranger()
    {
        using var other = new CliHarness();
        other.Environment["SIFSIGN_PASSPHRASE"] = string.Empty;
        Assert.Equal(0, other.Run("key", "newpair", "--algorithm", "ed25519", "-N", "Stranger", "-E", "stranger@example.org", "-C", ""));
        return new Keyring(other.KeysDir).ReadSecret().Single().GetSecretKey();
    }

    /// <summary>Replaces the public keyring with <paramref name="key"/>.</summary>
    public static void Replace(CliHarness cli, PgpPublicKeyRing key) => new Keyring(cli.KeysDir).WritePublic([key]);

    public static HttpResponseMessage Serve(params PgpPublicKeyRing[] keys) =>
        new(HttpStatusCode.OK) { Content = new StringContent(Encoding.ASCII.GetString(KeyFile.Encode(keys, armor: true)), Encoding.ASCII, "application/pgp-keys") };
}
