using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace SifSign.Pki;

/// <summary>A BouncyCastle private key with its public half.</summary>
internal sealed class BouncyCastleSigningKey : PemSigningKey
{
    private readonly AsymmetricKeyParameter key;

    public BouncyCastleSigningKey(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey)
    {
        key = privateKey;
        PublicKey = new BouncyCastleVerificationKey(publicKey);
    }

    public override PemVerificationKey PublicKey { get; }

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = SignerUtilities.GetSigner(BouncyCastleKeys.SignerName(Algorithm));
        signer.Init(true, key);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }
}
