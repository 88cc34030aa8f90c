using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

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

    /// <summary>RFC 9580 §6.2 armor with a CRC-24 line, written here so tests can also break it.</summary>
    public static string Armor(byte[] data)
    {
        // New-format packet headers carry the tag in bits 5-0, old-format ones in bits 5-2; 5 is a secret key.
        var tag = (data[0] & 0x40) != 0 ? data[0] & 0x3F : (data[0] >> 2) & 0x0F;
        var type = tag == 5 ? "PRIVATE KEY BLOCK" : "PUBLIC KEY BLOCK";
        var text = new StringBuilder();
        text.Append("-----BEGIN PGP ").Append(type).Append("-----\n\n");
        var base64 = Convert.ToBase64String(data);
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64.AsSpan(i, Math.Min(64, base64.Length - i))).Append('\n');
        }

        var crc = Crc24(data);
        text.Append('=').Append(Convert.ToBase64String([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc])).Append('\n');
        text.Append("-----END PGP ").Append(type).Append("-----\n");
        return text.ToString();
    }

    private static int Crc24(byte[] data)
    {
        var crc = 0xB704CE;
        foreach (var b in data)
        {
            crc ^= b << 16;
            for (var i = 0; i < 8; i++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= 0x1864CFB;
                }
            }
        }

        return crc & 0xFFFFFF;
    }
}

/// <summary>
/// Ed25519 primary keys (algorithm 22, 256 bits) with an X25519 encryption subkey, generated at
/// test time with BouncyCastle: fast, and each test gets keys nobody else stored.
/// </summary>
internal static class TestKeys
{
    private static readonly SecureRandom Random = new();

    public static TestKey Create(params string[] userIds)
    {
        // Whole seconds, a little in the past: OpenPGP stores seconds and the server must not see a future key.
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

        var signing = new Ed25519KeyPairGenerator();
        signing.Init(new Ed25519KeyGenerationParameters(Random));
        var primary = new PgpKeyPair(PublicKeyAlgorithmTag.EdDsa_Legacy, signing.GenerateKeyPair(), created.UtcDateTime);

        var agreement = new X25519KeyPairGenerator();
        agreement.Init(new X25519KeyGenerationParameters(Random));
        var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.ECDH, agreement.GenerateKeyPair(), created.UtcDateTime);

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
    public static IReadOnlyList<string> Fingerprints(byte[] keyring)
    {
        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(keyring));
        return new PgpPublicKeyRingBundle(input).GetKeyRings()
            .Select(ring => Convert.ToHexString(ring.GetPublicKey().GetFingerprint()))
            .ToList();
    }

    /// <summary>The user IDs of the primary key of a one-key armored or binary keyring.</summary>
    public static IReadOnlyList<string> UserIds(byte[] keyring)
    {
        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(keyring));
        var ring = new PgpPublicKeyRingBundle(input).GetKeyRings().Single();
        return ring.GetPublicKey().GetUserIds().ToList();
    }
}
