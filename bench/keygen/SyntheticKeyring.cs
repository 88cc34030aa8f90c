using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Keyserver.Bench;

/// <summary>
/// Deterministic synthetic OpenPGP keys for scale tests: a v4 EdDSALegacy (Ed25519) primary key,
/// one user ID with a positive self-certification, and a v4 ECDH Cv25519 encryption subkey with its
/// binding signature (RFC 9580 §5.2, §5.5.2, §5.5.5.5 and §11.1). Key <c>i</c> of seed <c>s</c> is
/// always the same bytes. The packets are written directly: building them through BouncyCastle's
/// OpenPGP layer costs more than the two signatures.
/// </summary>
/// <remarks>
/// The user ID of key <c>i</c> is <c>First Surname (teamNNNN) &lt;first.surnameI@domain.example&gt;</c>:
/// the surname is unique enough that "first surname" finds about one key, and each
/// <c>teamNNNN</c> word is shared by exactly <see cref="TeamSize"/> consecutive keys (a wide search
/// of a known size). Addresses are distinct and spread over <see cref="DomainCount"/> domains.
/// </remarks>
public static class SyntheticKeyring
{
    /// <summary>How many consecutive keys share one <c>teamNNNN</c> word.</summary>
    public const int TeamSize = 1000;

    /// <summary>How many distinct mail domains the addresses use.</summary>
    public const int DomainCount = 997;

    // 2026-01-01T00:00:00Z: creation times are fixed so the output depends on the seed alone.
    private const uint Created = 1767225600;

    private static readonly byte[] Ed25519Oid = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01];
    private static readonly byte[] Curve25519Oid = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01];

    private static readonly string[] FirstNames =
    [
        "Ada", "Alan", "Anna", "Ben", "Carl", "Cleo", "Dana", "Eli", "Emma", "Finn", "Gus", "Hana", "Ida", "Ivan",
        "Jack", "Jana", "Kai", "Lea", "Liam", "Lina", "Max", "Mia", "Nia", "Noah", "Olga", "Otto", "Paul", "Rosa",
        "Sam", "Sara", "Tom", "Ugo", "Vera", "Will", "Yuki", "Zoe",
    ];

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "da", "ge", "bo", "fu", "hi", "ja", "ku", "le", "mo", "nu",
        "pa", "ri", "sa", "te", "vo", "wa", "ze", "yo", "shi", "tra", "bel", "dor", "gan", "mar",
    ];

    /// <summary>One generated key: its binary transferable public key and the facts a lookup needs.</summary>
    public sealed record Key(byte[] Packets, string Fingerprint, string ShortKeyId, string Email, string Name, string Team);

    /// <summary>Builds key number <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static Key Generate(long seed, long index)
    {
        Span<byte> material = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(material, seed);
        BinaryPrimitives.WriteInt64LittleEndian(material[8..], index);
        Span<byte> primarySecret = stackalloc byte[32];
        Span<byte> subkeySecret = stackalloc byte[32];
        SHA256.HashData(material, primarySecret);
        SHA256.HashData(primarySecret, subkeySecret);

        var secret = primarySecret.ToArray();
        var primaryPublic = new byte[32];
        Ed25519.GeneratePublicKey(secret, 0, primaryPublic, 0);
        var subkeyPublic = new byte[32];
        X25519.ScalarMultBase(subkeySecret.ToArray(), 0, subkeyPublic, 0);

        var primary = KeyBody(22, Ed25519Oid, primaryPublic, kdf: false);
        var subkey = KeyBody(18, Curve25519Oid, subkeyPublic, kdf: true);
        var fingerprint = SHA1.HashData(HashedKey(primary));
        var (email, name, team, userId) = Identity(seed, index, primarySecret);
        var userIdBytes = Encoding.UTF8.GetBytes(userId);

        // Self-certification: key, then 0xB4 + length + user ID (RFC 9580 §5.2.4).
        var certifiedPrefix = Concat(HashedKey(primary), [0xB4, .. BigEndian(userIdBytes.Length)], userIdBytes);
        var certification = Signature(0x13, keyFlags: 0x03, fingerprint, certifiedPrefix, secret);
        var bindingPrefix = Concat(HashedKey(primary), HashedKey(subkey));
        var binding = Signature(0x18, keyFlags: 0x0C, fingerprint, bindingPrefix, secret);

        var packets = Concat(Packet(6, primary), Packet(13, userIdBytes), Packet(2, certification), Packet(14, subkey), Packet(2, binding));
        var hex = Convert.ToHexString(fingerprint);
        return new Key(packets, hex, hex[^8..], email, name, team);
    }

    /// <summary>The <c>teamNNNN</c> word of key <paramref name="index"/>.</summary>
    public static string TeamOf(long index) => "team" + (index / TeamSize).ToString("D4", CultureInfo.InvariantCulture);

    private static (string Email, string Name, string Team, string UserId) Identity(long seed, long index, ReadOnlySpan<byte> entropy)
    {
        var first = FirstNames[entropy[0] % FirstNames.Length];
        var surname = new StringBuilder();
        for (var s = 1; s <= 5; s++)
        {
            surname.Append(Syllables[entropy[s] % Syllables.Length]);
        }

        surname[0] = char.ToUpperInvariant(surname[0]);
        var domain = new StringBuilder();
        var d = (int)(((index * 7919) + seed) % DomainCount + DomainCount) % DomainCount;
        domain.Append(Syllables[d % Syllables.Length]).Append(Syllables[d / Syllables.Length % Syllables.Length])
            .Append(d.ToString(CultureInfo.InvariantCulture));
        var email = string.Create(CultureInfo.InvariantCulture,
            $"{first.ToLowerInvariant()}.{surname.ToString().ToLowerInvariant()}{index}@{domain}.example");
        var name = first + " " + surname;
        var team = TeamOf(index);
        return (email, name, team, $"{name} ({team}) <{email}>");
    }

    // A v4 key packet body: version, creation time, algorithm, curve OID, the 0x40-prefixed point as
    // an MPI (RFC 9580 §5.5.5.5), and for ECDH the KDF parameters SHA-256 / AES-128 (§11.1).
    private static byte[] KeyBody(byte algorithm, byte[] oid, byte[] point, bool kdf)
    {
        var body = new List<byte>(64) { 4 };
        body.AddRange(BigEndian(Created));
        body.Add(algorithm);
        body.Add((byte)oid.Length);
        body.AddRange(oid);
        body.AddRange([0x01, 0x07, 0x40]);
        body.AddRange(point);
        if (kdf)
        {
            body.AddRange([0x03, 0x01, 0x08, 0x07]);
        }

        return [.. body];
    }

    private static byte[] HashedKey(byte[] body) => Concat([0x99, (byte)(body.Length >> 8), (byte)body.Length], body);

    // A v4 signature (RFC 9580 §5.2.3) with SHA-256: creation time, issuer fingerprint and key flags
    // hashed, the issuer key ID unhashed; EdDSALegacy's r and s as two MPIs (§5.2.3.3).
    private static byte[] Signature(byte type, byte keyFlags, byte[] fingerprint, byte[] prefix, byte[] secret)
    {
        byte[] hashed = [0x05, 0x02, .. BigEndian(Created), 0x16, 0x21, 0x04, .. fingerprint, 0x02, 0x1B, keyFlags];
        byte[] head = [0x04, type, 22, 8, (byte)(hashed.Length >> 8), (byte)hashed.Length, .. hashed];
        byte[] trailer = [0x04, 0xFF, .. BigEndian(head.Length)];
        var digest = SHA256.HashData(Concat(prefix, head, trailer));
        var signature = new byte[64];
        Ed25519.Sign(secret, 0, digest, 0, digest.Length, signature, 0);
        byte[] unhashed = [0x09, 0x10, .. fingerprint.AsSpan(12, 8)];
        return Concat(head, [(byte)(unhashed.Length >> 8), (byte)unhashed.Length], unhashed, [digest[0], digest[1]],
            Mpi(signature.AsSpan(0, 32)), Mpi(signature.AsSpan(32, 32)));
    }

    private static byte[] Mpi(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        var bits = ((value.Length - start - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[start]));
        return [(byte)(bits >> 8), (byte)bits, .. value[start..]];
    }

    // New-format packet header (RFC 9580 §4.2.1) with a one- or two-octet length.
    private static byte[] Packet(int tag, byte[] body)
    {
        byte[] header = body.Length < 192
            ? [(byte)(0xC0 | tag), (byte)body.Length]
            : [(byte)(0xC0 | tag), (byte)(((body.Length - 192) >> 8) + 192), (byte)(body.Length - 192)];
        return Concat(header, body);
    }

    private static byte[] BigEndian(int value) => BigEndian((uint)value);

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
