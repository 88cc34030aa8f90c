using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Utilities;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SifSign.Pki;

/// <summary>A BouncyCastle public key of any supported algorithm.</summary>
internal sealed class BouncyCastleVerificationKey : PemVerificationKey
{
    private readonly AsymmetricKeyParameter key;

    public BouncyCastleVerificationKey(AsymmetricKeyParameter key)
    {
        if (key.IsPrivate)
        {
            throw new ArgumentException("a public key is required", nameof(key));
        }

        this.key = key;
        Algorithm = BouncyCastleKeys.DetectAlgorithm(key);
        var blob = OpenSshPublicKeyUtilities.EncodePublicKey(key);
        KeyId = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }

    public override PemKeyAlgorithm Algorithm { get; }

    public override string KeyId { get; }

    public override byte[] ExportSubjectPublicKeyInfo() =>
        SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded();

    public override string ExportPem() => PemText.Write("PUBLIC KEY", ExportSubjectPublicKeyInfo());

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var verifier = SignerUtilities.GetSigner(BouncyCastleKeys.SignerName(Algorithm));
        verifier.Init(false, key);
        verifier.BlockUpdate(data);
        try
        {
            return verifier.VerifySignature(signature.ToArray());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or CryptoException)
        {
            // Malformed DER or wrong-length input is a failed signature, not a crash.
            return false;
        }
    }
}
