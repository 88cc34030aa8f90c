using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using TestKit.OpenPgp;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>A key generated for one test, with the facts lookups are checked against.</summary>
internal sealed record TestKey(
    string Fingerprint,
    string KeyId,
    string SubkeyFingerprint,
    string SubkeyId,
    DateTimeOffset Created,
    byte[] Binary,
    byte[] SecretBinary)
{
    public string ShortKeyId => KeyId[8..];

    public string SubkeyShortId => SubkeyId[8..];

    /// <summary>Armor as gpg writes it: a Version-less block ending with a newline.</summary>
    public string Armored => Armor(Binary);

    public string SecretArmored => Armor(SecretBinary);

    /// <summary>RFC 9580 §6.2 armor with a CRC-24 line, written by the test kit so tests can also break it.</summary>
    public static string Armor(byte[] data) => TestKit.OpenPgp.Armor.Encode(data);
}

/// <summary>
/// Ed25519 primary keys (algorithm 22, 256 bits) with an X25519 encryption subkey, generated at
/// test time with BouncyCastle: fast, and each test gets keys nobody else stored.
/// </summary>
internal static class TestKeys
{
    private static SecureRandom Random => KeyRings.Random;

    /// <summary>A new key with <paramref name="userId"/>, stored through the host's ingest pipeline (pending in e-mail mode).</summary>
    public static async Task<TestKey> StoreAsync(IServiceProvider services, string userId)
    {
        var key = Create(userId);
        var report = await services.GetRequiredService<KeyIngestor>().IngestAsync(key.Binary, new IngestOptions());
        Assert.True(report.AnyAccepted);
        return key;
    }

    public static TestKey Create(params string[] userIds)
    {
        // Whole seconds, a little in the past: OpenPGP stores seconds and the server must not see a future key.
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

        var primary = KeyRings.NewEd25519(created.UtcDateTime);
        var subkey = KeyRings.NewX25519(created.UtcDateTime);

        var certification = new PgpSignatureSubpacketGenerator();
        certification.SetKeyFlags(false, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign);
        var binding = new PgpSignatureSubpacketGenerator();
        binding.SetKeyFlags(false, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage);

        var generator = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification, primary, userIds[0], SymmetricKeyAlgorithmTag.Aes256, HashAlgorithmTag.Sha256,
            Array.Empty<char>(), true, certification.Generate(), null, Random);
        generator.AddSubKey(subkey, binding.Generate(), null, HashAlgorithmTag.Sha256);
        var publicRing = generator.GeneratePublicKeyRing();
        var secretRing = generator.GenerateSecretKeyRing();

        var master = publicRing.GetPublicKey();
        foreach (var userId in userIds.Skip(1))
        {
            var signer = new PgpSignatureGenerator(PublicKeyAlgorithmTag.EdDsa_Legacy, HashAlgorithmTag.Sha256);
            signer.InitSign(PgpSignature.PositiveCertification, primary.PrivateKey, Random);
            signer.SetHashedSubpackets(certification.Generate());
            master = PgpPublicKey.AddCertification(master, userId, signer.GenerateCertification(userId, master));
        }

        publicRing = PgpPublicKeyRing.InsertPublicKey(publicRing, master);
        var sub = publicRing.GetPublicKeys().Cast<PgpPublicKey>().Single(k => !k.IsMasterKey);
        return new TestKey(
            Convert.ToHexString(master.GetFingerprint()),
            master.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToHexString(sub.GetFingerprint()),
            sub.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture),
            created,
            publicRing.GetEncoded(),
            secretRing.GetEncoded());
    }

    /// <summary>The primary fingerprints of the keys in an armored or binary keyring.</summary>
    public static IReadOnlyList<string> Fingerprints(byte[] keyring) => KeyRings.Fingerprints(keyring);

    /// <summary>The user IDs of the primary key of a one-key armored or binary keyring.</summary>
    public static IReadOnlyList<string> UserIds(byte[] keyring) =>
        KeyRings.ReadPublic(keyring).Single().GetPublicKey().GetUserIds().ToList();
}
