using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Keyserver.Core.Packets;

/// <summary>
/// What a public key or subkey packet (RFC 9580 §5.5.2) says about itself: version, creation time,
/// algorithm, size, curve, and the fingerprint and key ID derived from it.
/// </summary>
internal sealed class KeyPacketInfo
{
    private static readonly Dictionary<string, (string Name, int Bits)> Curves = new(StringComparer.Ordinal)
    {
        ["2A8648CE3D030107"] = ("NIST P-256", 256),
        ["2B81040022"] = ("NIST P-384", 384),
        ["2B81040023"] = ("NIST P-521", 521),
        ["2B2403030208010107"] = ("brainpoolP256r1", 256),
        ["2B240303020801010B"] = ("brainpoolP384r1", 384),
        ["2B240303020801010D"] = ("brainpoolP512r1", 512),
        ["2B06010401DA470F01"] = ("Ed25519", 256),
        ["2B060104019755010501"] = ("Curve25519", 256),
        ["2B8104000A"] = ("secp256k1", 256),
        ["2B6571"] = ("Ed448", 448),
        ["2B656F"] = ("X448", 448),
    };

    public required int Version { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required int Algorithm { get; init; }
    public required int Bits { get; init; }
    public string? Curve { get; init; }
    public required byte[] Fingerprint { get; init; }
    public required ulong KeyId { get; init; }

    public string FingerprintHex => Convert.ToHexString(Fingerprint);

    public string KeyIdHex => KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a v4 or v6 key packet body; null with a reason for anything else.</summary>
    public static KeyPacketInfo? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        if (body.Length < 6)
        {
            error = "truncated key packet";
            return null;
        }

        var version = body[0];
        if (version != 4 && version != 6)
        {
            error = $"unsupported key version {version}";
            return null;
        }

        var created = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(body[1..]));
        var algorithm = body[5];
        var material = body[6..];
        if (version == 6)
        {
            if (material.Length < 4)
            {
                error = "truncated key packet";
                return null;
            }

            material = material[4..];
        }

        byte[] fingerprint;
        ulong keyId;
        if (version == 4)
        {
            Span<byte> prefix = [0x99, (byte)(body.Length >> 8), (byte)body.Length];
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            sha1.AppendData(prefix);
            sha1.AppendData(body);
            fingerprint = sha1.GetHashAndReset();
            keyId = BinaryPrimitives.ReadUInt64BigEndian(fingerprint.AsSpan(12));
        }
        else
        {
            Span<byte> prefix = [0x9B, (byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length];
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha256.AppendData(prefix);
            sha256.AppendData(body);
            fingerprint = sha256.GetHashAndReset();
            keyId = BinaryPrimitives.ReadUInt64BigEndian(fingerprint);
        }

        var (curve, bits) = Size(algorithm, material);
        return new KeyPacketInfo
        {
            Version = version,
            Created = created,
            Algorithm = algorithm,
            Bits = bits,
            Curve = curve,
            Fingerprint = fingerprint,
            KeyId = keyId,
        };
    }

    private static (string? Curve, int Bits) Size(int algorithm, ReadOnlySpan<byte> material)
    {
        switch (algorithm)
        {
            case 1 or 2 or 3 or 16 or 17 or 20:
                // The first MPI (RSA modulus n, DSA/ElGamal prime p) starts with its bit count.
                return (null, material.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(material) : 0);
            case 18 or 19 or 22:
                if (material.Length < 1 || material[0] == 0 || material[0] == 0xFF || material.Length < 1 + material[0])
                {
                    return (null, 0);
                }

                var oid = Convert.ToHexString(material.Slice(1, material[0]));
                return Curves.TryGetValue(oid, out var known) ? known : ("OID " + oid, 0);
            case 25:
                return ("X25519", 256);
            case 26:
                return ("X448", 448);
            case 27:
                return ("Ed25519", 256);
            case 28:
                return ("Ed448", 448);
            default:
                return (null, 0);
        }
    }
}
