using TestKit.OpenPgp;

namespace SifSign.Tests.Integrity;

/// <summary>
/// An image signed by a signing subkey (as gpg signs by default), verified with the key from the local
/// keyring: a revoked or expired subkey is refused as go-crypto refuses it, and so is any subkey of a
/// revoked primary key.
/// </summary>
public class SubkeySignatureTests
{
    [Fact]
    public void Verify_ValidSigningSubkey_Verifies()
    {
        var (ring, result) = SignAndVerify(edit: null);

        Assert.True(result.Verified, result.Error?.ToString());
        Assert.Same(ring, result.Signatures.Single().Signer);
    }

    [Fact]
    public void Verify_SigningSubkeyRevoked_KeyRevoked()
    {
        var (_, result) = SignAndVerify((ring, primary, subkey) =>
        {
            var revocation = Sign(primary, PgpSignature.SubkeyRevocation, DateTime.UtcNow, _ => { }).GenerateCertification(ring.GetPublicKey(), subkey);
            return PgpPublicKeyRing.InsertPublicKey(ring, PgpPublicKey.AddCertification(subkey, revocation));
        });

        Assert.Equal("integrity: signature object 3 not valid: openpgp: key revoked", result.Error!.ToString());
    }

    [Fact]
    public void Verify_PrimaryKeyRevoked_SubkeySignatureRefused()
    {
        var (_, result) = SignAndVerify((ring, primary, _) => KeyUpdates.Revoke(ring, primary));

        Assert.Equal("integrity: signature object 3 not valid: openpgp: key revoked", result.Error!.ToString());
    }

    [Fact]
    public void Verify_SigningSubkeyExpiredByNewerBinding_KeyExpired()
    {
        var (_, result) = SignAndVerify((ring, primary, subkey) =>
        {
            var binding = Sign(primary, PgpSignature.SubkeyBinding, KeyRings.WholeSecondsUtc(), s =>
            {
                s.SetKeyFlags(false, PgpKeyFlags.CanSign);
                s.SetKeyExpirationTime(false, 60);
            }).GenerateCertification(ring.GetPublicKey(), subkey);
            // The only binding left: the newest one counts, and the generator's was made in the same second.
            var rebound = PgpPublicKey.RemoveCertification(subkey, subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding).Single());
            return PgpPublicKeyRing.InsertPublicKey(ring, PgpPublicKey.AddCertification(rebound, binding));
        });

        Assert.Equal("integrity: signature object 3 not valid: openpgp: key expired", result.Error!.ToString());
    }

    /// <summary>Makes a key with an Ed25519 signing subkey, signs one-group.sif with the subkey, edits the public key, verifies.</summary>
    private static (PgpPublicKeyRing Ring, VerifyResult Result) SignAndVerify(Func<PgpPublicKeyRing, PgpSecretKey, PgpPublicKey, PgpPublicKeyRing>? edit)
    {
        var created = KeyRings.WholeSecondsUtc(TimeSpan.FromDays(-10));
        var primaryFlags = new PgpSignatureSubpacketGenerator();
        primaryFlags.SetKeyFlags(false, PgpKeyFlags.CanCertify);
        var subkeyFlags = new PgpSignatureSubpacketGenerator();
        subkeyFlags.SetKeyFlags(false, PgpKeyFlags.CanSign);
        var generator = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification, KeyRings.NewEd25519(created), "Subkey Signer <subkey@example.org>",
            SymmetricKeyAlgorithmTag.Null, (char[]?)null, false, primaryFlags.Generate(), null, KeyRings.Random);
        generator.AddSubKey(KeyRings.NewEd25519(created), subkeyFlags.Generate(), null, HashAlgorithmTag.Sha256);
        var secret = generator.GenerateSecretKeyRing();
        var ring = generator.GeneratePublicKeyRing();
        var subkey = ring.GetPublicKeys().Single(k => !k.IsMasterKey);

        using var directory = new TempDirectory();
        var image = directory.CopyImage("one-group.sif");
        var subkeySecret = secret.GetSecretKey(subkey.KeyId);
        ImageSigner.Sign(image, new SubkeyEncoder(subkeySecret.ExtractPrivateKey([]), ring.GetPublicKey()), new SignOptions());

        var edited = edit?.Invoke(ring, secret.GetSecretKey(), subkey) ?? ring;
        return (edited, ImageVerifier.Verify(image, new VerifyOptions(), new PgpVerificationKeys([edited])));
    }

    private static PgpSignatureGenerator Sign(PgpSecretKey signer, int type, DateTime at, Action<PgpSignatureSubpacketGenerator> subpackets)
    {
        var generator = new PgpSignatureGenerator(signer.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(type, signer.ExtractPrivateKey([]));
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, at);
        subpackets(hashed);
        generator.SetHashedSubpackets(hashed.Generate());
        return generator;
    }

    /// <summary>A clear-sign encoder that signs with a subkey; the descriptor names the primary key, as gpg-made signatures do.</summary>
    private sealed class SubkeyEncoder(PgpPrivateKey subkey, PgpPublicKey primary) : ISignatureEncoder
    {
        public SifHashType HashType => SifHashType.Sha256;

        public ReadOnlyMemory<byte> Fingerprint => primary.GetFingerprint();

        public byte[] Encode(ReadOnlySpan<byte> metadata)
        {
            var generator = new PgpSignatureGenerator(primary.Algorithm, HashAlgorithmTag.Sha256);
            generator.InitSign(PgpSignature.CanonicalTextDocument, subkey);
            var hashed = new PgpSignatureSubpacketGenerator();
            hashed.SetSignatureCreationTime(false, KeyRings.WholeSecondsUtc(TimeSpan.FromMinutes(-1)));
            hashed.SetIssuerKeyID(false, subkey.KeyId);
            generator.SetHashedSubpackets(hashed.Generate());
            generator.Update(ClearSign.Canonicalize(metadata));
            return ClearSign.Encode("SHA256", metadata, PgpKeys.NewFormatPacket(generator.Generate().GetEncoded()), checksum: false);
        }
    }
}
