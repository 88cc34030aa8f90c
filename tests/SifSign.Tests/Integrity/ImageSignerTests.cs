namespace SifSign.Tests.Integrity;

public class ImageSignerTests
{
    private static readonly Lazy<TestKey> Rsa = new(() => TestKeys.Rsa("Signer <signer@example.com>"));
    private static readonly Lazy<TestKey> OtherRsa = new(() => TestKeys.Rsa("Other <other@example.com>"));

    public static TheoryData<string, string, uint?, uint?, bool> ReferenceCases => new()
    {
        { "OneGroup", "one-group.sif", null, null, false },
        { "TwoGroups", "two-groups.sif", null, null, false },
        { "OptSignGroup1", "two-groups.sif", 1u, null, false },
        { "OptSignGroup2", "two-groups.sif", 2u, null, false },
        { "OptSignObject1", "two-groups.sif", null, 1u, false },
        { "OptSignObject2", "two-groups.sif", null, 2u, false },
        { "OptSignObject3", "two-groups.sif", null, 3u, false },
        { "OptSignDeterministic", "one-group.sif", null, null, true },
    };

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Sign_ReferenceInputsAt2017Style_ImageMatchesGoldenByteForByte(
        string golden, string input, uint? group, uint? objectId, bool deterministic)
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage(input);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Fixtures.FixedTime));
        // The sif 2.8.3 fixtures come from go-crypto of 2020: issuer critical, no salt, CRC line.
        var encoder = new PgpClearSignEncoder(Fixtures.PrivateKey, Fixtures.PrimaryKey, time)
        {
            Salt = false,
            ArmorChecksum = true,
            ModernCriticality = false,
        };

        ImageSigner.Sign(path, encoder, new SignOptions(group, objectId, time) { Deterministic = deterministic });

        Assert.Equal(File.ReadAllBytes(Fixtures.IntegrityGolden("TestSigner_Sign", golden)), File.ReadAllBytes(path));
    }

    [Fact]
    public void Sign_SeveralObjectsAcrossGroups_MatchesOptSignObjectsGolden()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups.sif");
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Fixtures.FixedTime));
        var encoder = new PgpClearSignEncoder(Fixtures.PrivateKey, Fixtures.PrimaryKey, time) { Salt = false, ArmorChecksum = true, ModernCriticality = false };

        ImageSigner.Sign(path, encoder, new SignOptions(Time: time) { ObjectIds = [1, 2, 3] });

        Assert.Equal(File.ReadAllBytes(Fixtures.IntegrityGolden("TestSigner_Sign", "OptSignObjects")), File.ReadAllBytes(path));
    }

    [Fact]
    public void Sign_DefaultEncoder_WritesModernClearSignLayout()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");

        var added = ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions());

        using var image = SifImage.Open(path);
        var signature = Assert.Single(added);
        var text = System.Text.Encoding.ASCII.GetString(image.ReadObject(image.GetDescriptor(signature.Id), 1 << 20));
        Assert.StartsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{\"version\":1,", text, StringComparison.Ordinal);
        Assert.EndsWith("\n-----END PGP SIGNATURE-----", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n=", text, StringComparison.Ordinal);
        Assert.Equal(SifDescriptor.GroupMask, signature.RawGroupId);
        Assert.Equal(SifDescriptor.GroupMask | 1, signature.RawLinkedId);
        Assert.Equal(SifHashType.Sha256, signature.GetSignatureMetadata().HashType);
        Assert.Equal(Rsa.Value.Fingerprint, signature.GetSignatureMetadata().Fingerprint);
        var packet = ParseSignature(text);
        Assert.Equal(Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.CanonicalTextDocument, packet.SignatureType);
        Assert.Contains(packet.GetHashedSubPackets().GetNotationDataOccurrences(), n => n.GetNotationName() == "salt@notations.openpgpjs.org");
    }

    [Theory]
    [InlineData(null, null, new uint[] { 1, 2, 3 })]
    [InlineData(1u, null, new uint[] { 1, 2 })]
    [InlineData(null, 3u, new uint[] { 3 })]
    public void Sign_ThenVerify_RoundTrips(uint? group, uint? objectId, uint[] expectedVerified)
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups.sif");

        ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions(group, objectId));

        var result = ImageVerifier.Verify(path, new VerifyOptions(group, objectId), new PgpVerificationKeys([Rsa.Value.Public]));
        Assert.True(result.Verified, result.Error?.ToString());
        Assert.Equal(expectedVerified, result.Signatures.SelectMany(s => s.VerifiedObjects).Select(d => d.Id).Order());
        Assert.Same(Rsa.Value.Public, result.Signatures[0].Signer);
    }

    [Fact]
    public void Sign_Ed25519LegacyKey_RoundTrips()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        var key = TestKeys.Ed25519("Edwards <ed@example.com>");

        ImageSigner.Sign(path, key.PrivateKey, key.PrimaryKey, new SignOptions());

        var result = ImageVerifier.Verify(path, new VerifyOptions(), new PgpVerificationKeys([key.Public]));
        Assert.True(result.Verified, result.Error?.ToString());
    }

    [Fact]
    public void Sign_ObjectOnly_PlainVerifyFailsObjectNotSigned()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");

        ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions(ObjectId: 2));

        var result = ImageVerifier.Verify(path, new VerifyOptions(), new PgpVerificationKeys([Rsa.Value.Public]));
        Assert.Equal("integrity: object 1: object not signed", result.Error!.ToString());
        Assert.True(ImageVerifier.Verify(path, new VerifyOptions(ObjectId: 2), new PgpVerificationKeys([Rsa.Value.Public])).Verified);
    }

    [Fact]
    public void Sign_Twice_AppendsAndBothSignaturesRequired()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group-signed.sif");
        var before = SifImage.Open(path).Apply(i => i.Descriptors.Count);

        ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions());
        ImageSigner.Sign(path, OtherRsa.Value.PrivateKey, OtherRsa.Value.PrimaryKey, new SignOptions());

        using (var image = SifImage.Open(path))
        {
            Assert.Equal(before + 2, image.Descriptors.Count);
            Assert.Equal(3, image.Descriptors.Count(d => d.DataType == SifDataType.Signature));
        }

        var all = new PgpVerificationKeys([Fixtures.PublicKeyRing, Rsa.Value.Public, OtherRsa.Value.Public]);
        var allResult = ImageVerifier.Verify(path, new VerifyOptions(), all);
        Assert.True(allResult.Verified, allResult.Error?.ToString());
        Assert.Equal(3, allResult.Signatures.Count);

        var missingOne = new PgpVerificationKeys([Fixtures.PublicKeyRing, Rsa.Value.Public]);
        var partial = ImageVerifier.Verify(path, new VerifyOptions(), missingOne);
        Assert.False(partial.Verified);
        Assert.Equal("signature object 5 not valid: openpgp: signature made by unknown entity", partial.Error!.Message);
    }

    [Fact]
    public void SignedBy_SecondSignerOnOneGroupOnly_InAnyButNotAll()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups-signed.sif");
        ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions(GroupId: 2));
        using var image = SifImage.Open(path);

        var any = ImageVerifier.SignedBy(image, new VerifyOptions(), all: false).Select(Convert.ToHexString).ToList();
        var all = ImageVerifier.SignedBy(image, new VerifyOptions(), all: true).Select(Convert.ToHexString).ToList();

        Assert.Equal(new[] { Fixtures.KeyFingerprint, Convert.ToHexString(Rsa.Value.Fingerprint) }.Order(StringComparer.Ordinal), any);
        Assert.Equal([Fixtures.KeyFingerprint], all);
    }

    [Fact]
    public void Verify_DescriptorFingerprintOfAnotherKey_FingerprintMismatch()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions());
        using (var image = SifImage.Open(path))
        {
            var signature = image.Descriptors.Single(d => d.DataType == SifDataType.Signature);
            // Entity bytes sit at record offset 201 + 4.
            var at = image.Header.DescriptorsOffset + ((signature.Id - 1) * SifDescriptor.RecordSize) + 205;
            image.Dispose();
            Patch(path, at, OtherRsa.Value.Fingerprint);
        }

        var result = ImageVerifier.Verify(path, new VerifyOptions(), new PgpVerificationKeys([Rsa.Value.Public]));
        Assert.Equal("fingerprint in descriptor does not correspond to signing entity", result.Error!.Message);
    }

    [Theory]
    [InlineData(7u, null, "group not found")]
    [InlineData(0u, null, "invalid group ID")]
    [InlineData(null, 0u, "invalid object ID")]
    [InlineData(null, 9u, "object not found")]
    public void Sign_BadSelection_ThrowsAndLeavesImage(uint? group, uint? objectId, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<IntegrityException>(() =>
            ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions(group, objectId)));

        Assert.Equal(message, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Sign_EmptyImage_NoGroupsFound()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("empty.sif");

        var error = Assert.Throws<IntegrityException>(() =>
            ImageSigner.Sign(path, Rsa.Value.PrivateKey, Rsa.Value.PrimaryKey, new SignOptions()));

        Assert.Equal(IntegrityErrorKind.NoGroupsFound, error.Error!.Kind);
    }

    [Fact]
    public void Sign_Subkey_RejectedAsWrongKind()
    {
        var subkey = Fixtures.SecretKeyRing.GetSecretKeys().Single(k => !k.IsMasterKey);

        var error = Assert.Throws<IntegrityException>(() =>
            new PgpClearSignEncoder(subkey.ExtractPrivateKey([]), subkey.PublicKey));

        Assert.Contains("primary key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_MismatchedPrivateKey_RejectedAsWrongKind()
    {
        var error = Assert.Throws<IntegrityException>(() =>
            new PgpClearSignEncoder(OtherRsa.Value.PrivateKey, Rsa.Value.PrimaryKey));

        Assert.Contains("does not belong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_KeyWithoutSignUsage_RejectedAsWrongKind()
    {
        var certifyOnly = TestKeys.Rsa("Certify <c@example.com>", Org.BouncyCastle.Bcpg.Sig.KeyFlags.CertifyOther);

        Assert.Throws<IntegrityException>(() => new PgpClearSignEncoder(certifyOnly.PrivateKey, certifyOnly.PrimaryKey));
    }

    private static Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature ParseSignature(string clearSigned)
    {
        var message = ClearSign.Decode(System.Text.Encoding.ASCII.GetBytes(clearSigned))!;
        var list = (Org.BouncyCastle.Bcpg.OpenPgp.PgpSignatureList)new Org.BouncyCastle.Bcpg.OpenPgp.PgpObjectFactory(message.SignaturePackets).NextPgpObject();
        return list[0];
    }

    internal static void Patch(string path, long offset, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        file.Write(bytes);
    }
}

internal static class DisposableExtensions
{
    public static TResult Apply<T, TResult>(this T value, Func<T, TResult> func)
        where T : IDisposable
    {
        using (value)
        {
            return func(value);
        }
    }
}
