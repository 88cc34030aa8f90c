namespace SifSign.Tests.TestSupport;

/// <summary>
/// The reference fixtures installed by Debian's golang-github-sylabs-sif-dev (sif 2.8.3), read in
/// place: images, the "Unit Test" key and the golden outputs.
/// </summary>
internal static class Fixtures
{
    public const string Root = "/usr/share/gocode/src/github.com/sylabs/sif";

    /// <summary>Fingerprint of test/keys/private.asc ("Unit Test &lt;unit@test.com&gt;").</summary>
    public const string KeyFingerprint = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";

    /// <summary>go-crypto's fixed signing time of the integrity tests (<c>fixedTime()</c>).</summary>
    public const long FixedTime = 1504657553;

    private static readonly Lazy<PgpSecretKeyRing> SecretRing = new(() =>
    {
        using var file = File.OpenRead(Path.Combine(Root, "test/keys/private.asc"));
        using var armor = new ArmoredInputStream(file);
        return new PgpSecretKeyRingBundle(armor).GetKeyRings().Single();
    });

    public static string Image(string name) => Path.Combine(Root, "test/images", name);

    public static string Input(string name) => Path.Combine(Root, "test/input", name);

    public static string SiftoolGolden(string test, string name) =>
        Path.Combine(Root, "internal/app/siftool/testdata", test, name + ".golden");

    public static string IntegrityGolden(string test, string name) =>
        Path.Combine(Root, "pkg/integrity/testdata", test, name + ".golden");

    public static PgpSecretKeyRing SecretKeyRing => SecretRing.Value;

    /// <summary>The public key ring derived from the fixture's secret key.</summary>
    public static PgpPublicKeyRing PublicKeyRing
    {
        get
        {
            using var encoded = new MemoryStream();
            foreach (var key in SecretRing.Value.GetPublicKeys())
            {
                key.Encode(encoded);
            }

            return new PgpPublicKeyRing(encoded.ToArray());
        }
    }

    public static PgpPrivateKey PrivateKey => SecretRing.Value.GetSecretKey().ExtractPrivateKey([]);

    public static PgpPublicKey PrimaryKey => SecretRing.Value.GetPublicKey();
}
