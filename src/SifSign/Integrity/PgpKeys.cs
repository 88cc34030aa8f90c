using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SifSign.Integrity;

/// <summary>OpenPGP key and packet helpers shared by signing and verification.</summary>
internal static class PgpKeys
{
    public static bool IsSigningAlgorithm(PublicKeyAlgorithmTag algorithm) => algorithm is
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign or PublicKeyAlgorithmTag.Dsa
        or PublicKeyAlgorithmTag.ECDsa or PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519
        or PublicKeyAlgorithmTag.Ed448;

    /// <summary>
    /// The key flags of the newest self-signature (primary key) or binding signature (subkey) that carries
    /// them; null if none does. Third-party certifications do not count.
    /// </summary>
    public static int? KeyFlags(PgpPublicKey key)
    {
        int? flags = null;
        DateTime newest = DateTime.MinValue;
        foreach (var signature in key.GetSignatures())
        {
            var own = key.IsMasterKey ? signature.KeyId == key.KeyId : signature.SignatureType == PgpSignature.SubkeyBinding;
            if (!own)
            {
                continue;
            }

            var hashed = signature.GetHashedSubPackets();
            if (hashed is null || !hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags) || signature.CreationTime < newest)
            {
                continue;
            }

            newest = signature.CreationTime;
            flags = hashed.GetKeyFlags();
        }

        return flags;
    }

    /// <summary>
    /// Re-frames one encoded packet with a new-format header (RFC 4880 §4.2.2), as go-crypto writes
    /// signatures, whatever header BouncyCastle chose.
    /// </summary>
    public static byte[] NewFormatPacket(byte[] packet)
    {
        var first = packet[0];
        if ((first & 0x40) != 0)
        {
            return packet;
        }

        var tag = (first >> 2) & 0x0F;
        int bodyStart;
        long length;
        switch (first & 0x03)
        {
            case 0:
                length = packet[1];
                bodyStart = 2;
                break;
            case 1:
                length = (packet[1] << 8) | packet[2];
                bodyStart = 3;
                break;
            case 2:
                length = ((long)packet[1] << 24) | ((long)packet[2] << 16) | ((long)packet[3] << 8) | packet[4];
                bodyStart = 5;
                break;
            default:
                throw new IntegrityException("indeterminate-length signature packet");
        }

        var body = packet.AsSpan(bodyStart, (int)length);
        var output = new List<byte> { (byte)(0xC0 | tag) };
        if (length < 192)
        {
            output.Add((byte)length);
        }
        else if (length < 8384)
        {
            var l = length - 192;
            output.Add((byte)((l >> 8) + 192));
            output.Add(unchecked((byte)l));
        }
        else
        {
            output.Add(0xFF);
            output.Add(unchecked((byte)(length >> 24)));
            output.Add(unchecked((byte)(length >> 16)));
            output.Add(unchecked((byte)(length >> 8)));
            output.Add(unchecked((byte)length));
        }

        output.AddRange(body);
        return [.. output];
    }
}
