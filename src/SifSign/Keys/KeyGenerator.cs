using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SifSign.Keys;

/// <summary>The kind of key pair <see cref="KeyGenerator"/> makes.</summary>
public enum KeyAlgorithm
{
    /// <summary>RSA primary key (sign, certify) with an RSA encryption subkey, as Apptainer's <c>key newpair</c>.</summary>
    Rsa,

    /// <summary>Ed25519 primary key (sign, certify) with an X25519 (ECDH) encryption subkey.</summary>
    Ed25519,
}

/// <summary>What a new key pair is made of.</summary>
/// <param name="Algorithm">Key algorithm.</param>
/// <param name="Name">Real name of the user ID.</param>
/// <param name="Email">E-mail address of the user ID.</param>
/// <param name="Comment">Comment of the user ID (may be empty).</param>
/// <param name="Passphrase">Passphrase that protects the secret keys; null or empty leaves them unprotected.</param>
/// <param name="RsaBits">RSA modulus size (ignored for Ed25519).</param>
public sealed record KeyRequest(KeyAlgorithm Algorithm, string Name, string Email, string Comment, char[]? Passphrase, int RsaBits = 4096);

/// <summary>Generates OpenPGP v4 key pairs that Apptainer, gpg and the reference SIF library accept.</summary>
public static class KeyGenerator
{
    /// <summary>The user ID string Apptainer (go-crypto <c>NewUserId</c>) builds: <c>name (comment) &lt;email&gt;</c>.</summary>
    public static string UserId(string name, string comment, string email)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(email);
        var userId = name;
        if (!string.IsNullOrEmpty(comment))
        {
            userId += $" ({comment})";
        }

        if (!string.IsNullOrEmpty(email))
        {
            userId += $" <{email}>";
        }

        return userId.Trim();
    }

    /// <summary>Generates a key pair; the result is a transferable secret key.</summary>
    /// <exception cref="ArgumentException">The request is invalid (empty name, bad RSA size, characters user IDs cannot hold).</exception>
    public static PgpSecretKeyRing Generate(KeyRequest request, DateTime creationTime)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new ArgumentException("a name is required", nameof(request));
        }

        foreach (var part in new[] { request.Name, request.Email, request.Comment ?? string.Empty })
        {
            if (part.Any(c => char.IsControl(c) || c is '<' or '>' or '(' or ')'))
            {
                throw new ArgumentException("name, e-mail and comment may not contain control characters, <, >, ( or )", nameof(request));
            }
        }

        if (request.Algorithm == KeyAlgorithm.Rsa && request.RsaBits is < 1024 or > 8192)
        {
            throw new ArgumentException("RSA key length must be between 1024 and 8192 bits", nameof(request));
        }

        var random = new SecureRandom();
        var (primary, subkey) = request.Algorithm switch
        {
            KeyAlgorithm.Rsa => (RsaPair(request.RsaBits, random, creationTime), RsaPair(request.RsaBits, random, creationTime)),
            _ => (EdDsaPair(random, creationTime), X25519Pair(random, creationTime)),
        };

        var primaryAttributes = new PgpSignatureSubpacketGenerator();
        primaryAttributes.SetKeyFlags(false, PgpKeyFlags.CanSign | PgpKeyFlags.CanCertify);
        primaryAttributes.SetPreferredHashAlgorithms(false, [(int)HashAlgorithmTag.Sha256, (int)HashAlgorithmTag.Sha384, (int)HashAlgorithmTag.Sha512]);
        primaryAttributes.SetPreferredSymmetricAlgorithms(false, [(int)SymmetricKeyAlgorithmTag.Aes256, (int)SymmetricKeyAlgorithmTag.Aes128]);
        primaryAttributes.SetPreferredCompressionAlgorithms(false, [(int)CompressionAlgorithmTag.Uncompressed]);
        primaryAttributes.SetPrimaryUserId(false, true);
        primaryAttributes.SetIssuerFingerprint(false, primary.PublicKey);

        var subkeyAttributes = new PgpSignatureSubpacketGenerator();
        subkeyAttributes.SetKeyFlags(false, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage);
        subkeyAttributes.SetIssuerFingerprint(false, primary.PublicKey);

        var passphrase = request.Passphrase is { Length: > 0 } ? request.Passphrase : null;
        var generator = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification,
            primary,
            UserId(request.Name.Trim(), request.Comment?.Trim() ?? string.Empty, request.Email.Trim()),
            passphrase is null ? SymmetricKeyAlgorithmTag.Null : SymmetricKeyAlgorithmTag.Aes256,
            passphrase,
            // SHA-1 check only on encrypted keys: unencrypted ones need the RFC 4880 two-byte
            // checksum, or go-crypto (Apptainer, the reference) refuses them.
            passphrase is not null,
            primaryAttributes.Generate(),
            null,
            random);
        generator.AddSubKey(subkey, subkeyAttributes.Generate(), null, HashAlgorithmTag.Sha256);
        return generator.GenerateSecretKeyRing();
    }

    private static PgpKeyPair RsaPair(int bits, SecureRandom random, DateTime time)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), random, bits, 100));
        return new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), time);
    }

    private static PgpKeyPair EdDsaPair(SecureRandom random, DateTime time)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(random));
        return new PgpKeyPair(PublicKeyAlgorithmTag.EdDsa_Legacy, generator.GenerateKeyPair(), time);
    }

    private static PgpKeyPair X25519Pair(SecureRandom random, DateTime time)
    {
        var generator = new X25519KeyPairGenerator();
        generator.Init(new X25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        return new PgpKeyPair(PublicKeyAlgorithmTag.ECDH, pair, time);
    }
}
