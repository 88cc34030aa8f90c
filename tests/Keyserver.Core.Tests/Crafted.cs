using Org.BouncyCastle.Bcpg;

namespace Keyserver.Core.Tests;

/// <summary>
/// Keys made at test time with BouncyCastle, for shapes GnuPG will not produce (a signing subkey
/// without back-signature).
/// </summary>
internal static class Crafted
{
    private static readonly DateTime Created = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static PgpKeyPair NewKeyPair(PublicKeyAlgorithmTag algorithm = PublicKeyAlgorithmTag.EdDsa_Legacy) =>
        KeyRings.NewEd25519(Created, algorithm);

    /// <summary>A primary key with one positively certified user ID, binary.</summary>
    public static byte[] NewKey(PgpKeyPair primary, string userId)
    {
        var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, primary, userId,
            SymmetricKeyAlgorithmTag.Aes256, Array.Empty<char>(), false, null, null, KeyRings.Random);
        return generator.GeneratePublicKeyRing().GetEncoded();
    }

    /// <summary>The key with a new signing subkey appended, bound with or without a back-signature.</summary>
    public static byte[] WithSigningSubkey(byte[] key, PgpKeyPair primary, bool backSignature)
    {
        var subkey = NewKeyPair();
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, Created);
        hashed.SetKeyFlags(false, PgpKeyFlags.CanSign);
        if (backSignature)
        {
            var back = new PgpSignatureGenerator(subkey.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
            back.InitSign(PgpSignature.PrimaryKeyBinding, subkey.PrivateKey);
            var backHashed = new PgpSignatureSubpacketGenerator();
            backHashed.SetSignatureCreationTime(false, Created);
            back.SetHashedSubpackets(backHashed.Generate());
            hashed.AddEmbeddedSignature(false, back.GenerateCertification(primary.PublicKey, subkey.PublicKey));
        }

        var binding = new PgpSignatureGenerator(primary.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
        binding.InitSign(PgpSignature.SubkeyBinding, primary.PrivateKey);
        binding.SetHashedSubpackets(hashed.Generate());
        var signature = binding.GenerateCertification(primary.PublicKey, subkey.PublicKey);

        using var output = new MemoryStream();
        output.Write(key);
        var subkeyPacket = new PublicSubkeyPacket(4, subkey.PublicKey.Algorithm, Created, subkey.PublicKey.PublicKeyPacket.Key);
        using (var bcpg = new BcpgOutputStream(output, newFormatOnly: true))
        {
            bcpg.WritePacket(subkeyPacket);
            signature.Encode(bcpg);
        }

        // MemoryStream.ToArray works after the stream was closed by BcpgOutputStream.
        return output.ToArray();
    }
}
