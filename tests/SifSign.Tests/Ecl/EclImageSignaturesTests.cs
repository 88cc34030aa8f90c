namespace SifSign.Tests.Ecl;

/// <summary>The ECL over real verification of the PGP-signed reference image (signed by the sif test key).</summary>
public sealed class EclImageSignaturesTests
{
    private const string Root = "/usr/share/gocode/src/github.com/sylabs/sif/test";
    private const string TestKey = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";
    private const string OtherKey = "5994BE54C31CF1B5E1994F987C52CF6D055F072B";

    [Fact]
    public void FromVerifyResult_SignerInKeyring_IsValidated()
    {
        var signatures = Check("one-group-signed.sif", withKey: true);

        Assert.Null(signatures.VerificationError);
        Assert.Equal(new EclSignature(1, TestKey, true), Assert.Single(signatures.Signatures));
        Assert.True(Decide(EclMode.Whitelist, TestKey, signatures).Allowed);
        Assert.False(Decide(EclMode.Blacklist, TestKey.ToLowerInvariant(), signatures).Allowed);
        Assert.True(Decide(EclMode.Blacklist, OtherKey, signatures).Allowed);
    }

    [Fact]
    public void FromVerifyResult_SignerUnknownToKeyring_IsRecordedButUnvalidated()
    {
        var signatures = Check("one-group-signed.sif", withKey: false);

        Assert.Null(signatures.VerificationError);
        Assert.Equal(new EclSignature(1, TestKey, false), Assert.Single(signatures.Signatures));
        Assert.False(Decide(EclMode.Whitelist, TestKey, signatures).Allowed);
        Assert.False(Decide(EclMode.Blacklist, TestKey, signatures).Allowed);
    }

    [Fact]
    public void FromVerifyResult_UnsignedImage_CarriesSignatureNotFound()
    {
        var signatures = Check("one-group.sif", withKey: true);

        Assert.Equal("integrity: signature not found for object group 1", signatures.VerificationError);
        var decision = Decide(EclMode.Blacklist, OtherKey, signatures);
        Assert.False(decision.Allowed);
        Assert.Equal("image signature not valid: integrity: signature not found for object group 1", decision.Reason);
    }

    [Fact]
    public void FromVerifyResult_TamperedImage_IsProhibitedEvenForBlacklist()
    {
        using var dir = new TempDirectory();
        var image = dir.File("tampered.sif");
        File.Copy(Path.Combine(Root, "images", "one-group-signed.sif"), image);
        using (var file = File.Open(image, FileMode.Open, FileAccess.ReadWrite))
        {
            // Object 1 is the 4-byte FA CE FE ED partition at 32768 (sif.md §1.6).
            file.Position = 32768;
            file.WriteByte(0);
        }

        var signatures = Check(image, withKey: true);

        Assert.Contains("data object integrity compromised: 1", signatures.VerificationError, StringComparison.Ordinal);
        Assert.False(Decide(EclMode.Blacklist, OtherKey, signatures).Allowed);
    }

    private static EclImageSignatures Check(string image, bool withKey)
    {
        var path = Path.IsPathRooted(image) ? image : Path.Combine(Root, "images", image);
        var keys = new PgpVerificationKeys(withKey ? [TestPublicRing()] : []);
        var result = ImageVerifier.Verify(path, new VerifyOptions { IgnoreError = EclImageSignatures.ForgivesError }, keys);
        return EclImageSignatures.FromVerifyResult(result);
    }

    private static EclDecision Decide(EclMode mode, string fingerprint, EclImageSignatures signatures) =>
        EclEvaluator.Evaluate(new EclConfig(true, false, [new EclExecGroup("g", mode, string.Empty, [fingerprint])]), "/srv/a.sif", signatures);

    private static PgpPublicKeyRing TestPublicRing()
    {
        using var file = File.OpenRead(Path.Combine(Root, "keys", "private.asc"));
        var secret = new PgpSecretKeyRingBundle(PgpUtilities.GetDecoderStream(file)).GetKeyRings().Single();
        using var encoded = new MemoryStream();
        foreach (var key in secret.GetPublicKeys())
        {
            key.Encode(encoded);
        }

        return new PgpPublicKeyRing(encoded.ToArray());
    }
}
