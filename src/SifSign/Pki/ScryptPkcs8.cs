using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;

namespace SifSign.Pki;

/// <summary>
/// PBES2 with the scrypt KDF (RFC 7914 §7) and AES-CBC: what <c>openssl pkcs8 -scrypt</c> writes and sigstore's
/// PKCS#8 reader accepts. BouncyCastle's PKCS#8 decryptor only knows PBKDF2, so the KDF is wired by hand.
/// </summary>
internal static class ScryptPkcs8
{
    private static readonly DerObjectIdentifier ScryptOid = new("1.3.6.1.4.1.11591.4.11");

    // scrypt needs 128·r·N bytes; a hostile file must not be able to ask for gigabytes.
    private const long MaxMemoryBytes = 256L * 1024 * 1024;

    public static bool Uses(EncryptedPrivateKeyInfo info) =>
        PkcsObjectIdentifiers.IdPbeS2.Equals(info.EncryptionAlgorithm.Algorithm)
        && info.EncryptionAlgorithm.Parameters is Asn1Sequence { Count: 2 } pbes2
        && pbes2[0] is Asn1Sequence { Count: > 0 } kdf
        && ScryptOid.Equals(kdf[0]);

    public static byte[] Decrypt(EncryptedPrivateKeyInfo info, ReadOnlySpan<char> passphrase)
    {
        var (salt, cost, blockSize, parallelism, keyLength, iv) = ReadParameters(info);
        var key = SCrypt.Generate(Encoding.UTF8.GetBytes(passphrase.ToArray()), salt, cost, blockSize, parallelism, keyLength);
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.DecryptCbc(info.GetEncryptedData(), iv, PaddingMode.PKCS7);
    }

    private static (byte[] Salt, int Cost, int BlockSize, int Parallelism, int KeyLength, byte[] Iv) ReadParameters(EncryptedPrivateKeyInfo info)
    {
        try
        {
            var pbes2 = Asn1Sequence.GetInstance(info.EncryptionAlgorithm.Parameters);
            var kdf = AlgorithmIdentifier.GetInstance(pbes2[0]);
            var scrypt = Asn1Sequence.GetInstance(kdf.Parameters);
            var salt = Asn1OctetString.GetInstance(scrypt[0]).GetOctets();
            var cost = DerInteger.GetInstance(scrypt[1]).IntValueExact;
            var blockSize = DerInteger.GetInstance(scrypt[2]).IntValueExact;
            var parallelism = DerInteger.GetInstance(scrypt[3]).IntValueExact;
            var scheme = AlgorithmIdentifier.GetInstance(pbes2[1]);
            var keyLength = scheme.Algorithm.Id switch
            {
                var id when id == NistObjectIdentifiers.IdAes128Cbc.Id => 16,
                var id when id == NistObjectIdentifiers.IdAes192Cbc.Id => 24,
                var id when id == NistObjectIdentifiers.IdAes256Cbc.Id => 32,
                var id => throw new PemKeyException(PemKeyError.Unsupported, $"unsupported cipher {id} with scrypt; use AES-CBC"),
            };
            var iv = Asn1OctetString.GetInstance(scheme.Parameters).GetOctets();
            if (cost < 2 || blockSize < 1 || parallelism is < 1 or > 16 || 128L * blockSize * cost > MaxMemoryBytes || iv.Length != 16)
            {
                throw new PemKeyException(PemKeyError.Unsupported, "scrypt parameters out of the supported range");
            }

            return (salt, cost, blockSize, parallelism, keyLength, iv);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IndexOutOfRangeException or ArithmeticException)
        {
            throw new PemKeyException(PemKeyError.Malformed, $"malformed scrypt parameters in ENCRYPTED PRIVATE KEY: {ex.Message}", ex);
        }
    }
}
