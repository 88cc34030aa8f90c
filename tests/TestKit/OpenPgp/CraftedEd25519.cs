using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace TestKit.OpenPgp;

/// <summary>
/// v4 and v6 keys with the RFC 9580 algorithm IDs Ed25519 (27) and X25519 (25). Neither GnuPG 2.2 nor
/// BouncyCastle 2.7 can make them, so the packets are assembled here from RFC 9580 §5.2.3/§5.2.4/§5.5.2,
/// independently of the production code, and signed with BouncyCastle's Ed25519 primitive. Each
/// instance is a fresh key, so tests sharing one server never collide.
/// </summary>
public sealed class CraftedEd25519
{
    private static readonly SecureRandom Random = new();
    private const uint Created = 1767225600; // 2026-01-01

    private readonly int _version;
    private readonly Ed25519PrivateKeyParameters _private;
    private readonly byte[] _primary;

    public CraftedEd25519(int version)
    {
        _version = version;
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        var pair = generator.GenerateKeyPair();
        _private = (Ed25519PrivateKeyParameters)pair.Private;
        _primary = KeyBody(27, ((Ed25519PublicKeyParameters)pair.Public).GetEncoded());
        Fingerprint = KeyFingerprint(_primary);
    }

    /// <summary>The primary key's fingerprint: SHA-1 (v4) or SHA-256 (v6) over the key prefix (RFC 9580 §5.5.4).</summary>
    public byte[] Fingerprint { get; }

    /// <summary>Upper-case hex of <see cref="Fingerprint"/>.</summary>
    public string FingerprintHex => Convert.ToHexString(Fingerprint);

    /// <summary>
    /// Primary key, one positively certified user ID and an X25519 encryption subkey. v6 signatures
    /// carry a salt of <paramref name="saltLength"/> octets (SHA-256 needs 16, RFC 9580 §5.2.3).
    /// </summary>
    public byte[] Key(string userId, bool corruptCertification = false, int saltLength = 16)
    {
        var uid = Encoding.UTF8.GetBytes(userId);
        byte[] uidPrefix = [0xB4, 0, 0, 0, 0, .. uid];
        BinaryPrimitives.WriteInt32BigEndian(uidPrefix.AsSpan(1), uid.Length);
        var certification = Sign(0x13, [.. KeyPrefix(_primary), .. uidPrefix], keyFlags: 0x03, saltLength);
        if (corruptCertification)
        {
            certification[^5] ^= 0x01;
        }

        var subkey = KeyBody(25, RandomNumberGenerator.GetBytes(32));
        var binding = Sign(0x18, [.. KeyPrefix(_primary), .. KeyPrefix(subkey)], keyFlags: 0x0C, saltLength);
        return [.. Packet(6, _primary), .. Packet(13, uid), .. Packet(2, certification), .. Packet(14, subkey), .. Packet(2, binding)];
    }

    private byte[] KeyBody(int algorithm, byte[] material)
    {
        var body = new List<byte> { (byte)_version };
        body.AddRange(BigEndian(Created));
        body.Add((byte)algorithm);
        if (_version == 6)
        {
            body.AddRange(BigEndian((uint)material.Length));
        }

        body.AddRange(material);
        return [.. body];
    }

    private byte[] KeyPrefix(byte[] key) => _version == 6
        ? [0x9B, .. BigEndian((uint)key.Length), .. key]
        : [0x99, (byte)(key.Length >> 8), (byte)key.Length, .. key];

    private byte[] Sign(int type, byte[] prefix, byte keyFlags, int saltLength)
    {
        byte[] hashed =
        [
            5, 2, .. BigEndian(Created),
            (byte)(2 + Fingerprint.Length), 33, (byte)_version, .. Fingerprint,
            2, 27, keyFlags,
        ];
        var head = new List<byte> { (byte)_version, (byte)type, 27, 8 };
        head.AddRange(_version == 6 ? BigEndian((uint)hashed.Length) : [(byte)(hashed.Length >> 8), (byte)hashed.Length]);
        head.AddRange(hashed);
        var salt = _version == 6 ? RandomNumberGenerator.GetBytes(saltLength) : [];
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(salt);
        sha256.AppendData(prefix);
        sha256.AppendData([.. head]);
        sha256.AppendData([(byte)_version, 0xFF, .. BigEndian((uint)head.Count)]);
        var digest = sha256.GetHashAndReset();

        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(digest, 0, digest.Length);
        var signature = signer.GenerateSignature();

        var body = new List<byte>(head);
        body.AddRange(_version == 6 ? [0, 0, 0, 0] : [0, 0]);
        body.AddRange(digest.AsSpan(0, 2).ToArray());
        if (_version == 6)
        {
            body.Add((byte)salt.Length);
            body.AddRange(salt);
        }

        body.AddRange(signature);
        return [.. body];
    }

    // A new-format packet (RFC 9580 §4.2.1) with a five-octet length.
    private static byte[] Packet(int tag, byte[] body) => [(byte)(0xC0 | tag), 0xFF, .. BigEndian((uint)body.Length), .. body];

    private byte[] KeyFingerprint(byte[] key) => _version == 6 ? SHA256.HashData(KeyPrefix(key)) : SHA1Hash(KeyPrefix(key));

#pragma warning disable CA5350 // SHA-1 is what a v4 fingerprint is (RFC 9580 §5.5.4.2), not a security choice here.
    private static byte[] SHA1Hash(byte[] data) => SHA1.HashData(data);
#pragma warning restore CA5350

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
