using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Keyserver.Core.Packets;
using Org.BouncyCastle.Utilities;
using Packet = Keyserver.Core.Packets.Packet;

namespace Keyserver.Core.Ingest;

/// <summary>
/// Checks self-signatures. We build the hashed prefix (key, user ID, subkey) in the form RFC 9580
/// §5.2.4 prescribes ourselves, so user IDs that are not valid UTF-8 verify byte-exactly and every
/// signature type goes through one path.
/// </summary>
/// <remarks>
/// BouncyCastle checks the rare algorithms. The common ones take a path of their own, with the digest
/// computed here (<see cref="SignatureLayout"/>): Ed25519, both with the RFC 9580 algorithm ID 27, which
/// BouncyCastle 2.7's OpenPGP layer does not know, and as EdDSALegacy (22), checked by BouncyCastle's
/// Ed25519 primitive without building its OpenPGP key and signature objects; DSA through the
/// platform's DSA (OpenSSL), several times faster than BouncyCastle's managed arithmetic, which made
/// the old DSA keys of real keyrings the largest cost of a bulk import; and RSA over SHA-1/SHA-2, nearly
/// all real keys, through the platform's RSA (OpenSSL): BouncyCastle's RSA verification
/// rebuilds the key and runs Miller-Rabin tests on the modulus on every call, about a second for
/// 4096 bits, which would make a bulk import of real keyrings take minutes. Where BouncyCastle does
/// verify RSA, those tests are switched off: they protect users of a private key, and to check a
/// signature they add nothing (a prime modulus only lets the owner's own signatures be forged).
/// </remarks>
internal sealed class SignatureVerifier : IDisposable
{
    private readonly Packet _primary;
    private readonly int _primaryVersion;
    private readonly Lazy<PgpPublicKey?> _primaryKey;
    private readonly AsymmetricAlgorithm? _primaryNative;

    public SignatureVerifier(Packet primary, int version)
    {
        _primary = primary;
        _primaryVersion = version;
        // BouncyCastle's key is built only when a signature needs it: the platform and Ed25519 paths do not.
        _primaryKey = new Lazy<PgpPublicKey?>(() => ToKey(primary), LazyThreadSafetyMode.None);
        _primaryNative = version == 4 ? ToPlatformKey(primary.Body.Span) : null;
    }

    /// <summary>False when the primary key cannot be used (unknown algorithm or curve, malformed).</summary>
    public bool CanVerify => _primaryNative is not null || IsEd25519(_primary) || !LegacyEd25519Key(_primary.Body.Span).IsEmpty
        || _primaryKey.Value is not null;

    /// <summary>A direct-key signature or key revocation over the primary key.</summary>
    public bool VerifyDirect(Packet signature) => Verify(signature, _primary, _primaryKey, _primaryNative, KeyPrefix(_primary, _primaryVersion));

    /// <summary>A certification or certification revocation of a user ID or user attribute.</summary>
    public bool VerifyUserId(Packet userId, Packet signature)
    {
        var key = KeyPrefix(_primary, _primaryVersion);
        var body = userId.Body.Span;
        var signatureVersion = signature.Body.Length > 0 ? signature.Body.Span[0] : 0;
        var prefix = new byte[key.Length + (signatureVersion >= 4 ? 5 : 0) + body.Length];
        key.CopyTo(prefix, 0);
        var offset = key.Length;
        if (signatureVersion >= 4)
        {
            prefix[offset] = userId.Tag == Packet.UserAttribute ? (byte)0xD1 : (byte)0xB4;
            BinaryPrimitives.WriteInt32BigEndian(prefix.AsSpan(offset + 1), body.Length);
            offset += 5;
        }

        body.CopyTo(prefix.AsSpan(offset));
        return Verify(signature, _primary, _primaryKey, _primaryNative, prefix);
    }

    /// <summary>A subkey binding or subkey revocation made by the primary key.</summary>
    public bool VerifySubkey(Packet subkey, int subkeyVersion, Packet signature) =>
        Verify(signature, _primary, _primaryKey, _primaryNative, [.. KeyPrefix(_primary, _primaryVersion), .. KeyPrefix(subkey, subkeyVersion)]);

    /// <summary>The primary-key binding (back-signature) a signing subkey makes over the primary key.</summary>
    public bool VerifyBackSignature(Packet subkey, int subkeyVersion, ReadOnlyMemory<byte> embedded)
    {
        var info = Packets.SignatureInfo.Parse(embedded);
        if (info is null || info.Type != Packets.SignatureInfo.PrimaryKeyBinding)
        {
            return false;
        }

        using var native = subkeyVersion == 4 ? ToPlatformKey(subkey.Body.Span) : null;
        return Verify(new Packet(Packet.Signature, embedded), subkey, new Lazy<PgpPublicKey?>(() => ToKey(subkey), LazyThreadSafetyMode.None), native,
            [.. KeyPrefix(_primary, _primaryVersion), .. KeyPrefix(subkey, subkeyVersion)]);
    }

    public void Dispose() => _primaryNative?.Dispose();

    private static bool Verify(Packet signature, Packet signerPacket, Lazy<PgpPublicKey?> signerKey, AsymmetricAlgorithm? native, byte[] prefix)
    {
        if (SignatureInfo.Parse(signature.Body) is not { HasUnknownCriticalSubpacket: false } info)
        {
            return false;
        }

        // RFC 9580 §5.2.3: a v6 key makes v6 signatures only, and only v6 keys make them, salted as
        // their hash requires.
        var signerVersion = signerPacket.Body.Length > 0 ? signerPacket.Body.Span[0] : 0;
        if ((signerVersion == 6 || info.Version == 6)
            && (signerVersion != info.Version || !SignatureLayout.TryRead(signature.Body.Span, out var v6) || !v6.SaltFitsHash))
        {
            return false;
        }

        if (TryVerifyNative(signature.Body.Span, signerPacket.Body.Span, native, prefix) is { } fast)
        {
            return fast;
        }

        if (signerKey.Value is not { } signer)
        {
            return false;
        }

        return Properties.WithThreadProperty(Properties.RsaMaxMRTests, "0", () => VerifyWithBouncyCastle(signature, signer, prefix));
    }

    private static bool VerifyWithBouncyCastle(Packet signature, PgpPublicKey signer, byte[] prefix)
    {
        try
        {
            if (new PgpObjectFactory(signature.ToArray()).NextPgpObject() is not PgpSignatureList { Count: 1 } list)
            {
                return false;
            }

            var sig = list[0];
            sig.InitVerify(signer);
            sig.Update(prefix);
            return sig.Verify();
        }
        catch (Exception e) when (IsMalformed(e))
        {
            // Malformed or unsupported signatures are simply not valid.
            return false;
        }
    }

    // Null when the signature is not one the fast path handles; then BouncyCastle decides.
    private static bool? TryVerifyNative(ReadOnlySpan<byte> body, ReadOnlySpan<byte> signerKey, AsymmetricAlgorithm? native, byte[] prefix)
    {
        if (!SignatureLayout.TryRead(body, out var layout) || layout.Hash == default)
        {
            return null;
        }

        var material = body[layout.MaterialOffset..];
        switch (layout.Algorithm)
        {
            case 27 when signerKey.Length > 5 && signerKey[5] == 27:
            {
                // RFC 9580 §5.2.3.4: 64 octets of native signature over the digest; §5.5.5.9: 32 octets of key.
                var keyOffset = signerKey[0] == 6 ? 10 : 6;
                if (material.Length != 64 || signerKey.Length != keyOffset + 32)
                {
                    return false;
                }

                return VerifyEd25519(signerKey.Slice(keyOffset, 32), layout.Digest(body, prefix), material);
            }

            case 22 when LegacyEd25519Key(signerKey) is { IsEmpty: false } key:
            {
                // RFC 9580 §5.2.3.3: r and s as MPIs, which together are the 64-octet native signature.
                Span<byte> signature = stackalloc byte[64];
                signature.Clear();
                return TryReadPadded(ref material, signature[..32]) && TryReadPadded(ref material, signature[32..])
                    && VerifyEd25519(key, layout.Digest(body, prefix), signature);
            }

            case 1 or 3 when native is RSA rsa:
            {
                var modulusBytes = (rsa.KeySize + 7) / 8;
                var signature = new byte[modulusBytes];
                if (!TryReadPadded(ref material, signature))
                {
                    return false;
                }

                try
                {
                    return rsa.VerifyHash(layout.Digest(body, prefix), signature, layout.Hash, RSASignaturePadding.Pkcs1);
                }
                catch (CryptographicException)
                {
                    return null;
                }
            }

            case 17 when native is DSA dsa && DsaSubgroupBytes(signerKey) is > 0 and var subgroupBytes:
            {
                // FIPS 186-4 §4.6: the leftmost bits of the digest, as many as the subgroup order has.
                var signature = new byte[2 * subgroupBytes];
                if (!TryReadPadded(ref material, signature.AsSpan(0, subgroupBytes)) || !TryReadPadded(ref material, signature.AsSpan(subgroupBytes)))
                {
                    return false;
                }

                var digest = layout.Digest(body, prefix);
                try
                {
                    return dsa.VerifySignature(digest.AsSpan(0, Math.Min(digest.Length, subgroupBytes)), signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
                catch (CryptographicException)
                {
                    return null;
                }
            }

            default:
                return null;
        }
    }

    private static bool VerifyEd25519(ReadOnlySpan<byte> key, byte[] digest, ReadOnlySpan<byte> signature)
    {
        try
        {
            var signer = new Ed25519Signer();
            signer.Init(false, new Ed25519PublicKeyParameters(key));
            signer.BlockUpdate(digest, 0, digest.Length);
            return signer.VerifySignature(signature.ToArray());
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // Reads one MPI into the right end of target (leading zeros are stripped in an MPI); false when
    // it is truncated or longer than target.
    private static bool TryReadPadded(ref ReadOnlySpan<byte> data, scoped Span<byte> target)
    {
        if (data.Length < 2)
        {
            return false;
        }

        var length = (BinaryPrimitives.ReadUInt16BigEndian(data) + 7) / 8;
        if (data.Length < 2 + length || length > target.Length)
        {
            return false;
        }

        target[..^length].Clear();
        data.Slice(2, length).CopyTo(target[^length..]);
        data = data[(2 + length)..];
        return true;
    }

    // The 32-octet key of a v4 EdDSALegacy key on Ed25519 (RFC 9580 §5.5.5.5: curve OID, then the
    // point as an MPI with the 0x40 prefix); empty for anything else.
    private static ReadOnlySpan<byte> LegacyEd25519Key(ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> ed25519Oid = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01];
        const int PointOffset = 6 + 1 + 9 + 2;
        if (key.Length != PointOffset + 33 || key[0] != 4 || key[5] != 22 || key[6] != ed25519Oid.Length
            || !key.Slice(7, ed25519Oid.Length).SequenceEqual(ed25519Oid) || key[PointOffset] != 0x40)
        {
            return [];
        }

        return key.Slice(PointOffset + 1, 32);
    }

    private static int DsaSubgroupBytes(ReadOnlySpan<byte> key)
    {
        var material = key.Length > 6 ? key[6..] : [];
        return ReadMpi(ref material) is not null && ReadMpi(ref material) is { } q ? q.Length : 0;
    }

    private static bool IsEd25519(Packet key) => key.Body.Length > 5 && key.Body.Span[5] == 27;

    // The platform (OpenSSL) verifies RSA and DSA several times faster than managed arithmetic.
    private static AsymmetricAlgorithm? ToPlatformKey(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            return null;
        }

        return body[5] switch
        {
            1 or 3 => ToRsa(body[6..]),
            17 => ToDsa(body[6..]),
            _ => null,
        };
    }

    private static DSA? ToDsa(ReadOnlySpan<byte> material)
    {
        var p = ReadMpi(ref material);
        var q = ReadMpi(ref material);
        var g = ReadMpi(ref material);
        var y = ReadMpi(ref material);
        if (p is null || q is null || g is null || y is null || g.Length > p.Length || y.Length > p.Length)
        {
            return null;
        }

        var dsa = DSA.Create();
        try
        {
            // The platform wants G and Y as long as P.
            dsa.ImportParameters(new DSAParameters { P = p, Q = q, G = LeftPad(g, p.Length), Y = LeftPad(y, p.Length) });
            return dsa;
        }
        catch (CryptographicException)
        {
            dsa.Dispose();
            return null;
        }
    }

    private static byte[] LeftPad(byte[] value, int length)
    {
        if (value.Length == length)
        {
            return value;
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static RSA? ToRsa(ReadOnlySpan<byte> material)
    {
        var modulus = ReadMpi(ref material);
        var exponent = ReadMpi(ref material);
        if (modulus is null || exponent is null || modulus.Length < 64)
        {
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
    }

    private static byte[]? ReadMpi(ref ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return null;
        }

        var length = (BinaryPrimitives.ReadUInt16BigEndian(data) + 7) / 8;
        if (length == 0 || data.Length < 2 + length)
        {
            return null;
        }

        var value = data.Slice(2, length).ToArray();
        data = data[(2 + length)..];
        return value;
    }

    private static byte[] KeyPrefix(Packet key, int version)
    {
        var body = key.Body.Span;
        byte[] prefix;
        if (version == 6)
        {
            prefix = new byte[5 + body.Length];
            prefix[0] = 0x9B;
            BinaryPrimitives.WriteInt32BigEndian(prefix.AsSpan(1), body.Length);
            body.CopyTo(prefix.AsSpan(5));
        }
        else
        {
            prefix = new byte[3 + body.Length];
            prefix[0] = 0x99;
            BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(1), (ushort)body.Length);
            body.CopyTo(prefix.AsSpan(3));
        }

        return prefix;
    }

    private static PgpPublicKey? ToKey(Packet key)
    {
        try
        {
            // BouncyCastle only reads public-key packets with the primary tag into a PgpPublicKey.
            var asPrimary = new Packet(Packet.PublicKey, key.Body);
            if (new BcpgInputStream(new MemoryStream(asPrimary.ToArray())).ReadPacket() is not PublicKeyPacket packet)
            {
                return null;
            }

            var publicKey = new PgpPublicKey(packet);
            Properties.WithThreadProperty(Properties.RsaMaxMRTests, "0", () => publicKey.GetKey());
            return publicKey;
        }
        catch (Exception e) when (IsMalformed(e))
        {
            return null;
        }
    }

    private static bool IsMalformed(Exception e) =>
        e is PgpException or IOException or ArgumentException or InvalidOperationException or NotSupportedException
            or NotImplementedException or Org.BouncyCastle.Security.SecurityUtilityException
            or Org.BouncyCastle.Crypto.CryptoException or IndexOutOfRangeException or InvalidCastException
            or FormatException or ArithmeticException;
}
