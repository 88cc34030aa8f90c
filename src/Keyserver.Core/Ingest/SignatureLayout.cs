using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Keyserver.Core.Ingest;

/// <summary>
/// Where the parts of a v3, v4 or v6 signature packet body are, and the digest it signs
/// (RFC 9580 §5.2.4): salt (v6), the caller's prefix (keys, user ID), the hashed part, the trailer.
/// </summary>
internal readonly record struct SignatureLayout(int Version, int Algorithm, HashAlgorithmName Hash, int HashedEnd, int MaterialOffset, int SaltOffset, int SaltLength)
{
    public static bool TryRead(ReadOnlySpan<byte> body, out SignatureLayout layout)
    {
        layout = default;
        if (body.Length < 6)
        {
            return false;
        }

        switch (body[0])
        {
            case 2 or 3 when body.Length >= 19 && body[1] == 5:
                layout = new SignatureLayout(3, body[15], HashName(body[16]), 7, 19, 0, 0);
                return true;
            case 4:
            {
                var hashedEnd = 6 + BinaryPrimitives.ReadUInt16BigEndian(body[4..]);
                if (hashedEnd + 2 > body.Length)
                {
                    return false;
                }

                var left16 = hashedEnd + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[hashedEnd..]);
                layout = new SignatureLayout(4, body[2], HashName(body[3]), hashedEnd, left16 + 2, 0, 0);
                return left16 + 2 <= body.Length;
            }

            case 6 when body.Length >= 8:
            {
                var hashedLength = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                if (hashedLength > (uint)(body.Length - 12))
                {
                    return false;
                }

                var hashedEnd = 8 + (int)hashedLength;
                var unhashedLength = BinaryPrimitives.ReadUInt32BigEndian(body[hashedEnd..]);
                if (unhashedLength > (uint)(body.Length - hashedEnd - 4))
                {
                    return false;
                }

                var saltLengthOffset = hashedEnd + 4 + (int)unhashedLength + 2;
                if (saltLengthOffset >= body.Length || saltLengthOffset + 1 + body[saltLengthOffset] > body.Length)
                {
                    return false;
                }

                var saltLength = body[saltLengthOffset];
                layout = new SignatureLayout(6, body[2], HashName(body[3]), hashedEnd, saltLengthOffset + 1 + saltLength, saltLengthOffset + 1, saltLength);
                return true;
            }

            default:
                return false;
        }
    }

    /// <summary>
    /// For a v6 signature: the hash is one RFC 9580 allows there and the salt has the size §5.2.3
    /// gives for it (Table 23: 16 octets for SHA-256, 24 for SHA-384, 32 for SHA-512); SHA-1 and
    /// unknown hashes are not (§5.2.3, §9.5). Always true for v3 and v4.
    /// </summary>
    public bool SaltFitsHash => Version != 6 || SaltLength == ExpectedSaltLength(Hash);

    private static int ExpectedSaltLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 16
        : hash == HashAlgorithmName.SHA384 ? 24
        : hash == HashAlgorithmName.SHA512 ? 32
        : -1;

    /// <summary>The digest the signature is made over, for the given prefix.</summary>
    public byte[] Digest(ReadOnlySpan<byte> body, ReadOnlySpan<byte> prefix)
    {
        using var hash = IncrementalHash.CreateHash(Hash);
        if (Version == 6)
        {
            hash.AppendData(body.Slice(SaltOffset, SaltLength));
        }

        hash.AppendData(prefix);
        if (Version == 3)
        {
            // v3: signature type and creation time only.
            hash.AppendData(body[2..7]);
        }
        else
        {
            hash.AppendData(body[..HashedEnd]);
            Span<byte> trailer = [(byte)Version, 0xFF, 0, 0, 0, 0];
            BinaryPrimitives.WriteInt32BigEndian(trailer[2..], HashedEnd);
            hash.AppendData(trailer);
        }

        return hash.GetHashAndReset();
    }

    private static HashAlgorithmName HashName(int id) => id switch
    {
        2 => HashAlgorithmName.SHA1,
        8 => HashAlgorithmName.SHA256,
        9 => HashAlgorithmName.SHA384,
        10 => HashAlgorithmName.SHA512,
        _ => default,
    };
}
