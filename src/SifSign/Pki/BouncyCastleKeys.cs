using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace SifSign.Pki;

/// <summary>Shared BouncyCastle plumbing for the key classes: algorithm detection and signer names.</summary>
internal static class BouncyCastleKeys
{
    public static PemKeyAlgorithm DetectAlgorithm(AsymmetricKeyParameter key) => key switch
    {
        RsaKeyParameters => PemKeyAlgorithm.Rsa,
        Ed25519PublicKeyParameters or Ed25519PrivateKeyParameters => PemKeyAlgorithm.Ed25519,
        ECKeyParameters ec => DetectCurve(ec),
        _ => throw Unsupported(key),
    };

    public static PemKeyException Unsupported(AsymmetricKeyParameter key) => new(
        PemKeyError.Unsupported,
        $"unsupported key algorithm {key.GetType().Name.Replace("KeyParameters", string.Empty, StringComparison.Ordinal)}; use RSA, ECDSA (P-256, P-384, P-521) or Ed25519");

    public static string SignerName(PemKeyAlgorithm algorithm) => algorithm switch
    {
        PemKeyAlgorithm.Rsa => "SHA256withRSA",
        PemKeyAlgorithm.Ed25519 => "Ed25519",
        _ => "SHA256withECDSA",
    };

    private static PemKeyAlgorithm DetectCurve(ECKeyParameters ec)
    {
        DerObjectIdentifier? curve = ec.PublicKeyParamSet;
        if (SecObjectIdentifiers.SecP256r1.Equals(curve))
        {
            return PemKeyAlgorithm.EcdsaP256;
        }

        if (SecObjectIdentifiers.SecP384r1.Equals(curve))
        {
            return PemKeyAlgorithm.EcdsaP384;
        }

        if (SecObjectIdentifiers.SecP521r1.Equals(curve))
        {
            return PemKeyAlgorithm.EcdsaP521;
        }

        throw new PemKeyException(
            PemKeyError.Unsupported,
            curve is null
                ? "unsupported ECDSA key with explicit curve parameters; use a named curve (P-256, P-384, P-521)"
                : $"unsupported ECDSA curve {curve.Id}; use P-256, P-384 or P-521");
    }
}
