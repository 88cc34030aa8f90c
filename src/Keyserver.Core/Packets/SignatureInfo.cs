using System.Buffers.Binary;
using System.Text;

namespace Keyserver.Core.Packets;

/// <summary>
/// The fields of a signature packet (RFC 9580 §5.2) a keyserver needs before and after the
/// cryptographic check: type, issuer, dates, flags and revocation reason. Reading them ourselves
/// lets third-party signatures be sorted out without building any BouncyCastle object.
/// </summary>
internal sealed class SignatureInfo
{
    public const int CertGeneric = 0x10;
    public const int CertPositive = 0x13;
    public const int SubkeyBinding = 0x18;
    public const int PrimaryKeyBinding = 0x19;
    public const int DirectKey = 0x1F;
    public const int KeyRevocation = 0x20;
    public const int SubkeyRevocation = 0x28;
    public const int CertRevocation = 0x30;

    public required int Version { get; init; }
    public required int Type { get; init; }
    public required int PublicKeyAlgorithm { get; init; }
    public DateTimeOffset Created { get; private set; }
    public ulong? IssuerKeyId { get; private set; }
    public byte[]? IssuerFingerprint { get; private set; }

    /// <summary>Key expiration time: seconds after the key's creation, or null (never).</summary>
    public long? KeyExpirySeconds { get; private set; }

    public int? KeyFlags { get; private set; }
    public bool PrimaryUserId { get; private set; }
    public int? RevocationCode { get; private set; }
    public string? RevocationText { get; private set; }

    /// <summary>Bodies of embedded signatures (the primary-key binding of a signing subkey).</summary>
    public List<ReadOnlyMemory<byte>> Embedded { get; } = [];

    /// <summary>
    /// True when a subpacket is marked critical but its type is one this code does not know (or a
    /// notation, none of which it understands). RFC 9580 §5.2.3.7: such a signature is in error.
    /// </summary>
    public bool HasUnknownCriticalSubpacket { get; private set; }

    public bool IsCertification => Type is >= CertGeneric and <= CertPositive;

    /// <summary>Reads a signature packet body; null when it is malformed or of an unknown version.</summary>
    public static SignatureInfo? Parse(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.Length < 1)
        {
            return null;
        }

        return span[0] switch
        {
            3 or 2 => ParseV3(span),
            4 or 6 => ParseV4(body, span[0]),
            _ => null,
        };
    }

    /// <summary>True when the issuer named in the signature is the key with this fingerprint and key ID.</summary>
    public bool IssuedBy(ReadOnlySpan<byte> fingerprint, ulong keyId)
    {
        if (IssuerFingerprint is not null)
        {
            return IssuerFingerprint.AsSpan().SequenceEqual(fingerprint);
        }

        // With no issuer at all the signature can only be checked against the primary key.
        return IssuerKeyId is null || IssuerKeyId == keyId;
    }

    private static SignatureInfo? ParseV3(ReadOnlySpan<byte> span)
    {
        // version, 5 (hashed length), type, time(4), issuer(8), pk algo, hash algo, left16(2), MPIs
        if (span.Length < 19 || span[1] != 5)
        {
            return null;
        }

        return new SignatureInfo
        {
            Version = span[0],
            Type = span[2],
            PublicKeyAlgorithm = span[15],
            Created = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(span[3..])),
            IssuerKeyId = BinaryPrimitives.ReadUInt64BigEndian(span[7..]),
        };
    }

    private static SignatureInfo? ParseV4(ReadOnlyMemory<byte> body, int version)
    {
        var span = body.Span;
        var lengthSize = version == 6 ? 4 : 2;
        if (span.Length < 4 + lengthSize)
        {
            return null;
        }

        var info = new SignatureInfo { Version = version, Type = span[1], PublicKeyAlgorithm = span[2] };
        var offset = 4;
        for (var area = 0; area < 2; area++)
        {
            if (offset + lengthSize > span.Length)
            {
                return null;
            }

            long length = lengthSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(span[offset..]) : BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            offset += lengthSize;
            if (length > span.Length - offset)
            {
                return null;
            }

            if (!info.ReadSubpackets(body.Slice(offset, (int)length), hashed: area == 0))
            {
                return null;
            }

            offset += (int)length;
        }

        // The two-byte hash prefix must still follow.
        return offset + 2 <= span.Length ? info : null;
    }

    private bool ReadSubpackets(ReadOnlyMemory<byte> area, bool hashed)
    {
        var span = area.Span;
        var offset = 0;
        while (offset < span.Length)
        {
            int length;
            var first = span[offset++];
            if (first < 192)
            {
                length = first;
            }
            else if (first < 255)
            {
                if (offset >= span.Length)
                {
                    return false;
                }

                length = ((first - 192) << 8) + span[offset++] + 192;
            }
            else
            {
                if (offset + 4 > span.Length)
                {
                    return false;
                }

                var wide = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);
                offset += 4;
                if (wide > int.MaxValue)
                {
                    return false;
                }

                length = (int)wide;
            }

            if (length < 1 || length > span.Length - offset)
            {
                return false;
            }

            var type = span[offset] & 0x7F;
            if ((span[offset] & 0x80) != 0 && !KnownSubpacketTypes.Contains(type))
            {
                HasUnknownCriticalSubpacket = true;
            }

            var data = area.Slice(offset + 1, length - 1);
            offset += length;
            Apply(type, data, hashed);
        }

        return true;
    }

    // RFC 9580 §5.2.3.7's registry, without notation data (20): a critical notation names a meaning
    // the reader must understand, and this code understands none.
    private static readonly HashSet<int> KnownSubpacketTypes =
        [2, 3, 4, 5, 6, 7, 9, 11, 12, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39];

    private void Apply(int type, ReadOnlyMemory<byte> data, bool hashed)
    {
        var span = data.Span;
        switch (type)
        {
            case 2 when hashed && span.Length == 4:
                Created = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(span));
                break;
            case 9 when hashed && span.Length == 4:
                var seconds = BinaryPrimitives.ReadUInt32BigEndian(span);
                KeyExpirySeconds = seconds == 0 ? null : seconds;
                break;
            case 16 when span.Length == 8:
                IssuerKeyId ??= BinaryPrimitives.ReadUInt64BigEndian(span);
                break;
            case 33 when span.Length is 21 or 33:
                IssuerFingerprint ??= span[1..].ToArray();
                break;
            case 25 when hashed && span.Length == 1:
                PrimaryUserId = span[0] != 0;
                break;
            case 27 when hashed && span.Length >= 1:
                KeyFlags = span[0];
                break;
            case 29 when hashed && span.Length >= 1:
                RevocationCode = span[0];
                RevocationText = Encoding.UTF8.GetString(span[1..]);
                break;
            case 32:
                Embedded.Add(data);
                break;
            default:
                break;
        }
    }
}
