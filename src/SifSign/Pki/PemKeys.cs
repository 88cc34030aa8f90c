using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace SifSign.Pki;

/// <summary>
/// Loads and generates the PEM keys that DSSE signing uses. Accepts what sigstore's <c>cryptoutils</c> accepts
/// (as sigstore's cryptoutils reads them): PKCS#8, PKCS#1 RSA, SEC1 EC and password-encrypted PKCS#8 private keys; SPKI and PKCS#1 RSA
/// public keys.
/// </summary>
public static class PemKeys
{
    /// <summary>
    /// The environment variable Apptainer users already set for a PEM key passphrase (sigstore honours it).
    /// </summary>
    public const string PassphraseEnvironmentVariable = "COSIGN_PASSWORD";

    /// <summary>The RSA modulus size <see cref="Generate"/> uses unless told otherwise.</summary>
    public const int DefaultRsaKeySize = 3072;

    /// <summary>True when the first key block in <paramref name="pem"/> is encrypted, so a caller knows to ask for a passphrase.</summary>
    /// <exception cref="PemKeyException">The text holds no PEM block.</exception>
    public static bool IsEncrypted(string pem) =>
        PemText.ReadAll(pem).FirstOrDefault(b => b.Label != "EC PARAMETERS")?.Label == "ENCRYPTED PRIVATE KEY";

    /// <summary>Loads a private key.</summary>
    /// <param name="pem">PEM text; the first key block is used (a leading <c>EC PARAMETERS</c> block is skipped).</param>
    /// <param name="passphrase">The passphrase of an <c>ENCRYPTED PRIVATE KEY</c>; ignored for unencrypted keys.</param>
    /// <exception cref="PemKeyException">Malformed PEM, a certificate or public key where a private key is expected,
    /// a missing or wrong passphrase, or an unsupported algorithm.</exception>
    public static PemSigningKey LoadPrivate(string pem, ReadOnlySpan<char> passphrase = default)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var block = PemText.ReadAll(pem).FirstOrDefault(b => b.Label != "EC PARAMETERS")
            ?? throw new PemKeyException(PemKeyError.WrongKind, "PEM holds EC parameters but no private key");

        var key = block.Label switch
        {
            "PRIVATE KEY" => Decode(block, () => PrivateKeyFactory.CreateKey(PrivateKeyInfo.GetInstance(block.Data))),
            "RSA PRIVATE KEY" => Decode(block, () => DecodePkcs1Private(block.Data)),
            "EC PRIVATE KEY" => Decode(block, () => DecodeSec1(block.Data)),
            "ENCRYPTED PRIVATE KEY" => Decrypt(block, passphrase),
            "ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN PRIVATE KEY" => throw new PemKeyException(
                PemKeyError.Unsupported,
                $"{block.Label} (sigstore/cosign scrypt format) is not supported; export the key as PKCS#8"),
            "CERTIFICATE" => throw new PemKeyException(
                PemKeyError.WrongKind, "found a certificate where a private key is expected"),
            "PUBLIC KEY" or "RSA PUBLIC KEY" => throw new PemKeyException(
                PemKeyError.WrongKind, $"found a public key ({block.Label}) where a private key is expected"),
            _ => throw new PemKeyException(
                PemKeyError.WrongKind, $"unexpected PEM block {block.Label} where a private key is expected"),
        };

        return new BouncyCastleSigningKey(key, PublicFromPrivate(key));
    }

    /// <summary>Loads a public key (<c>PUBLIC KEY</c> SPKI or <c>RSA PUBLIC KEY</c> PKCS#1); the first block is used.</summary>
    /// <exception cref="PemKeyException">Malformed PEM, a certificate or private key where a public key is expected,
    /// or an unsupported algorithm.</exception>
    public static PemVerificationKey LoadPublic(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var block = PemText.ReadAll(pem)[0];
        var key = block.Label switch
        {
            "PUBLIC KEY" => Decode(block, () => PublicKeyFactory.CreateKey(SubjectPublicKeyInfo.GetInstance(block.Data))),
            "RSA PUBLIC KEY" => Decode(block, () =>
            {
                var rsa = RsaPublicKeyStructure.GetInstance(block.Data);
                return new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent);
            }),
            "CERTIFICATE" => throw new PemKeyException(
                PemKeyError.WrongKind, "found a certificate where a public key is expected; pass it as a certificate instead"),
            _ when block.Label.Contains("PRIVATE KEY", StringComparison.Ordinal) => throw new PemKeyException(
                PemKeyError.WrongKind, $"found a private key ({block.Label}) where a public key is expected"),
            _ => throw new PemKeyException(
                PemKeyError.WrongKind, $"unexpected PEM block {block.Label} where a public key is expected"),
        };

        return FromPublicParameters(key);
    }

    /// <summary>Wraps the public key of an X.509 certificate or any DER SubjectPublicKeyInfo.</summary>
    /// <exception cref="PemKeyException">Malformed or unsupported key.</exception>
    public static PemVerificationKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        var der = spki.ToArray();
        var block = new PemBlock("PUBLIC KEY", der);
        return FromPublicParameters(Decode(block, () => PublicKeyFactory.CreateKey(der)));
    }

    /// <summary>Generates a key pair: PKCS#8 private key and SPKI public key, both PEM.</summary>
    /// <param name="algorithm">The algorithm (and curve).</param>
    /// <param name="rsaKeySize">RSA modulus bits (2048–16384, a multiple of 8); ignored for other algorithms.</param>
    /// <exception cref="ArgumentOutOfRangeException">An RSA size out of range.</exception>
    public static PemKeyPair Generate(PemKeyAlgorithm algorithm, int rsaKeySize = DefaultRsaKeySize)
    {
        byte[] pkcs8;
        switch (algorithm)
        {
            case PemKeyAlgorithm.Rsa:
                if (rsaKeySize is < 2048 or > 16384 || rsaKeySize % 8 != 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(rsaKeySize), rsaKeySize, "RSA key size must be 2048–16384 bits, a multiple of 8");
                }

                using (var rsa = RSA.Create(rsaKeySize))
                {
                    pkcs8 = rsa.ExportPkcs8PrivateKey();
                }

                break;
            case PemKeyAlgorithm.EcdsaP256 or PemKeyAlgorithm.EcdsaP384 or PemKeyAlgorithm.EcdsaP521:
                var curve = algorithm switch
                {
                    PemKeyAlgorithm.EcdsaP256 => ECCurve.NamedCurves.nistP256,
                    PemKeyAlgorithm.EcdsaP384 => ECCurve.NamedCurves.nistP384,
                    _ => ECCurve.NamedCurves.nistP521,
                };
                using (var ec = ECDsa.Create(curve))
                {
                    pkcs8 = ec.ExportPkcs8PrivateKey();
                }

                break;
            case PemKeyAlgorithm.Ed25519:
                // .NET has no Ed25519, so this one comes from BouncyCastle.
                var generator = new Ed25519KeyPairGenerator();
                generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
                var seed = ((Ed25519PrivateKeyParameters)generator.GenerateKeyPair().Private).GetEncoded();

                // Version 0 without the optional public key, as OpenSSL writes it: OpenSSL 3.0 cannot read
                // BouncyCastle's default (v2 with the public key attached).
                pkcs8 = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(seed))
                    .GetDerEncoded();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key algorithm");
        }

        var privatePem = PemText.Write("PRIVATE KEY", pkcs8);
        var key = LoadPrivate(privatePem);
        return new PemKeyPair(privatePem, key.PublicKey.ExportPem(), key.KeyId);
    }

    /// <summary>
    /// Writes a generated pair: the private key readable by the owner only (0600, set at creation so it is never
    /// briefly world-readable), the public key 0644. Neither file may exist yet.
    /// </summary>
    /// <exception cref="IOException">A file exists already or cannot be written.</exception>
    public static void WriteFiles(PemKeyPair pair, string privateKeyPath, string publicKeyPath)
    {
        ArgumentNullException.ThrowIfNull(pair);
        foreach (var path in new[] { privateKeyPath, publicKeyPath })
        {
            if (File.Exists(path) || Directory.Exists(path))
            {
                throw new IOException($"{path} already exists; refusing to overwrite it");
            }
        }

        Write(privateKeyPath, pair.PrivateKeyPem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(publicKeyPath, pair.PublicKeyPem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
    }

    private static BouncyCastleVerificationKey FromPublicParameters(AsymmetricKeyParameter key)
    {
        if (key.IsPrivate)
        {
            throw new PemKeyException(PemKeyError.WrongKind, "expected a public key");
        }

        return new BouncyCastleVerificationKey(key);
    }

    private static AsymmetricKeyParameter Decrypt(PemBlock block, ReadOnlySpan<char> passphrase)
    {
        if (passphrase.IsEmpty)
        {
            throw new PemKeyException(PemKeyError.PassphraseRequired, "the private key is encrypted and no passphrase was given");
        }

        var encrypted = Decode(block, () => EncryptedPrivateKeyInfo.GetInstance(block.Data));
        var chars = passphrase.ToArray();
        try
        {
            PrivateKeyInfo info;
            try
            {
                info = ScryptPkcs8.Uses(encrypted)
                    ? PrivateKeyInfo.GetInstance(ScryptPkcs8.Decrypt(encrypted, chars))
                    : PrivateKeyInfoFactory.CreatePrivateKeyInfo(chars, encrypted);
            }
            catch (Exception ex) when (ex is SecurityUtilityException)
            {
                throw new PemKeyException(
                    PemKeyError.Unsupported, $"unsupported private key encryption scheme: {ex.Message}", ex);
            }
            catch (Exception ex) when (IsDecodeFailure(ex))
            {
                // A wrong passphrase shows up as bad padding or as garbage that is not a PrivateKeyInfo.
                throw new PemKeyException(PemKeyError.WrongPassphrase, "wrong passphrase for the encrypted private key", ex);
            }

            return Decode(block, () => PrivateKeyFactory.CreateKey(info));
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static RsaPrivateCrtKeyParameters DecodePkcs1Private(byte[] der)
    {
        var rsa = RsaPrivateKeyStructure.GetInstance(der);
        return new RsaPrivateCrtKeyParameters(
            rsa.Modulus, rsa.PublicExponent, rsa.PrivateExponent, rsa.Prime1, rsa.Prime2, rsa.Exponent1, rsa.Exponent2, rsa.Coefficient);
    }

    private static AsymmetricKeyParameter DecodeSec1(byte[] der)
    {
        var sec1 = ECPrivateKeyStructure.GetInstance(der);
        var parameters = sec1.Parameters
            ?? throw new PemKeyException(PemKeyError.Malformed, "EC PRIVATE KEY names no curve");
        return PrivateKeyFactory.CreateKey(
            new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, parameters), sec1));
    }

    private static AsymmetricKeyParameter PublicFromPrivate(AsymmetricKeyParameter key) => key switch
    {
        RsaPrivateCrtKeyParameters rsa => new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent),
        ECPrivateKeyParameters { PublicKeyParamSet: { } curve } ec =>
            new ECPublicKeyParameters("EC", ec.Parameters.G.Multiply(ec.D).Normalize(), curve),
        ECPrivateKeyParameters ec => new ECPublicKeyParameters(ec.Parameters.G.Multiply(ec.D).Normalize(), ec.Parameters),
        Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
        _ => throw BouncyCastleKeys.Unsupported(key),
    };

    private static T Decode<T>(PemBlock block, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw new PemKeyException(PemKeyError.Malformed, $"PEM block {block.Label} is not a valid key: {ex.Message}", ex);
        }
    }

    private static bool IsDecodeFailure(Exception ex) =>
        ex is ArgumentException or InvalidCastException or IOException or InvalidOperationException
            or FormatException or CryptoException or SecurityUtilityException or IndexOutOfRangeException
            or CryptographicException;
}
