using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Utilities;
using Packet = Keyserver.Core.Packets.Packet;

namespace Keyserver.Core.Ingest;

/// <summary>
/// Checks self-signatures. We build the hashed prefix (key, user ID, subkey) in the form RFC 9580
/// §5.2.4 prescribes ourselves, so user IDs that are not valid UTF-8 verify byte-exactly and every
/// signature type goes through one path.
/// </summary>
/// <remarks>
/// BouncyCastle checks most algorithms. Two take a path of their own, with the digest computed here
/// (<see cref="SignatureLayout"/>): Ed25519 with the RFC 9580 algorithm ID 27, which BouncyCastle 2.7's
/// OpenPGP layer does not know (its Ed25519 primitive does the check), and RSA over SHA-1/SHA-2, nearly
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
    private readonly RSA? _primaryRsa;

    public SignatureVerifier(Packet primary, int version)
    {
        _primary = primary;
        _primaryVersion = version;
        // BouncyCastle's key is built only when a signature needs it: the RSA fast path does not.
        _primaryKey = new Lazy<PgpPublicKey?>(() => ToKey(primary), LazyThreadSafetyMode.None);
        _primaryRsa = version == 4 ? ToRsa(primary.Body.Span) : null;
    }

    /// <summary>False when the primary key cannot be used (unknown algorithm or curve, malformed).</summary>
    public bool CanVerify => _primaryRsa is not null || IsEd25519(_primary) || _primaryKey.Value is not null;

    /// <summary>A direct-key signature or key revocation over the primary key.</summary>
    public bool VerifyDirect(Packet signature) => Verify(signature, _primary, _primaryKey, _primaryRsa, KeyPrefix(_primary, _primaryVersion));

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
        return Verify(signature, _primary, _primaryKey, _primaryRsa, prefix);
    }

    /// <summary>A subkey binding or subkey revocation made by the primary key.</summary>
    public bool VerifySubkey(Packet subkey, int subkeyVersion, Packet signature) =>
        Verify(signature, _primary, _primaryKey, _primaryRsa, [.. KeyPrefix(_primary, _primaryVersion), .. KeyPrefix(subkey, subkeyVersion)]);

    /// <summary>The primary-key binding (back-signature) a signing subkey makes over the primary key.</summary>
    public bool VerifyBackSignature(Packet subkey, int subkeyVersion, ReadOnlyMemory<byte> embedded)
    {
        var info = Packets.SignatureInfo.Parse(embedded);
        if (info is null || info.Type != Packets.SignatureInfo.PrimaryKeyBinding)
        {
            return false;
        }

        using var rsa = subkeyVersion == 4 ? ToRsa(subkey.Body.Span) : null;
        return Verify(new Packet(Packet.Signature, embedded), subkey, new Lazy<PgpPublicKey?>(() => ToKey(subkey), LazyThreadSafetyMode.None), rsa,
            [.. KeyPrefix(_primary, _primaryVersion), .. KeyPrefix(subkey, subkeyVersion)]);
    }

    public void Dispose() => _primaryRsa?.Dispose();

    private static bool Verify(Packet signature, Packet signerPacket, Lazy<PgpPublicKey?> signerKey, RSA? rsa, byte[] prefix)
    {
        if (TryVerifyNative(signature.Body.Span, signerPacket.Body.Span, rsa, prefix) is { } fast)
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
    private static bool? TryVerifyNative(ReadOnlySpan<byte> body, ReadOnlySpan<byte> signerKey, RSA? rsa, byte[] prefix)
    {
        if (!SignatureLayout.TryRead(body, out var layout))
        {
            return null;
        }

        var isRsa = layout.Algorithm is 1 or 3 && rsa is not null;
        var isEd25519 = layout.Algorithm == 27 && signerKey.Length > 5 && signerKey[5] == 27;
        if (!(isRsa || isEd25519) || layout.Hash == default)
        {
            return null;
        }

        var digest = layout.Digest(body, prefix);
        var material = body[layout.MaterialOffset..];
        if (isEd25519)
        {
            // RFC 9580 §5.2.3.4: 64 octets of native signature over the digest; §5.5.5.9: 32 octets of key.
            var keyOffset = signerKey[0] == 6 ? 10 : 6;
            if (material.Length != 64 || signerKey.Length != keyOffset + 32)
            {
                return false;
            }

            try
            {
                var signer = new Ed25519Signer();
                signer.Init(false, new Ed25519PublicKeyParameters(signerKey.Slice(keyOffset, 32)));
                signer.BlockUpdate(digest, 0, digest.Length);
                return signer.VerifySignature(material.ToArray());
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        if (material.Length < 2)
        {
            return false;
        }

        var length = (BinaryPrimitives.ReadUInt16BigEndian(material) + 7) / 8;
        var modulusBytes = (rsa!.KeySize + 7) / 8;
        if (material.Length < 2 + length || length > modulusBytes)
        {
            return false;
        }

        var signature = new byte[modulusBytes];
        material.Slice(2, length).CopyTo(signature.AsSpan(modulusBytes - length));
        try
        {
            return rsa.VerifyHash(digest, signature, layout.Hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool IsEd25519(Packet key) => key.Body.Length > 5 && key.Body.Span[5] == 27;

    private static RSA? ToRsa(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8 || body[5] is not (1 or 3))
        {
            return null;
        }

        var material = body[6..];
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
