namespace SifSign.Tests.Integrity;

public class ImageVerifierTests
{
    private static readonly PgpVerificationKeys FixtureKeys = new([Fixtures.PublicKeyRing]);

    private static void AssertVerifiedExactly(VerifyResult result, params uint[] objects)
    {
        Assert.True(result.Verified, result.Error?.ToString());
        Assert.Equal(objects, result.Signatures.SelectMany(s => s.VerifiedObjects).Select(d => d.Id));
    }

    // A copy of the fixture with a DSSE signature from the fake encoder appended.
    private static string EnvelopeSignedCopy(TempDirectory dir, string fixture)
    {
        var path = dir.CopyImage(fixture);
        ImageSigner.Sign(path, new FakeEnvelopeEncoder(), new SignOptions());
        return path;
    }

    [Theory]
    [InlineData("one-group-signed.sif", new uint[] { 1, 2 })]
    [InlineData("two-groups-signed.sif", new uint[] { 1, 2, 3 })]
    public void Verify_ReferenceSignedImage_Verifies(string image, uint[] objects)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(), FixtureKeys);

        Assert.True(result.Verified, result.Error?.ToString());
        Assert.Null(result.Error);
        Assert.Equal(objects, result.Signatures.SelectMany(s => s.VerifiedObjects).Select(d => d.Id).Order());
        Assert.All(result.Signatures, s => Assert.Equal(Fixtures.KeyFingerprint, Convert.ToHexString(s.Fingerprint!)));
        Assert.All(result.Signatures, s => Assert.Equal(SignatureFormat.PgpClearSign, s.Format));
    }

    [Theory]
    [InlineData("one-group-signed.sif", 1u, null)]
    [InlineData("two-groups-signed.sif", 2u, null)]
    [InlineData("two-groups-signed.sif", null, 3u)]
    [InlineData("two-groups-signed.sif", null, 1u)]
    public void Verify_ReferenceSignedImageSelection_Verifies(string image, uint? group, uint? objectId)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(group, objectId), FixtureKeys);

        Assert.True(result.Verified, result.Error?.ToString());
    }

    [Theory]
    [InlineData("one-group.sif")]
    [InlineData("two-groups.sif")]
    public void Verify_UnsignedImage_SignatureNotFoundForGroup1(string image)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(), FixtureKeys);

        Assert.False(result.Verified);
        Assert.Equal("integrity: signature not found for object group 1", result.Error!.ToString());
    }

    [Fact]
    public void Verify_EmptyImage_NoGroupsFound()
    {
        var result = ImageVerifier.Verify(Fixtures.Image("empty.sif"), new VerifyOptions(), FixtureKeys);

        Assert.Equal(IntegrityErrorKind.NoGroupsFound, result.Error!.Kind);
        Assert.Equal("no groups found", result.Error.Message);
    }

    [Theory]
    [MemberData(nameof(LegacyImages))]
    public void Verify_LegacyImageWithoutFlag_SignatureNotFound(string image)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(), FixtureKeys);

        Assert.False(result.Verified);
        Assert.Equal(IntegrityErrorKind.SignatureNotFound, result.Error!.Kind);
        Assert.Equal("signature not found for object group 1", result.Error.Message);
    }

    public static TheoryData<string> LegacyImages => new()
    {
        "one-group-signed-legacy.sif",
        "one-group-signed-legacy-all.sif",
        "one-group-signed-legacy-group.sif",
        "two-groups-signed-legacy.sif",
        "two-groups-signed-legacy-all.sif",
        "two-groups-signed-legacy-group.sif",
    };

    [Theory]
    [MemberData(nameof(LegacyImagesWithPrimaryPartition))]
    public void Verify_LegacyInsecure_VerifiesPrimaryPartition(string image)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(LegacyInsecure: true), FixtureKeys);

        AssertVerifiedExactly(result, 2);
    }

    public static TheoryData<string> LegacyImagesWithPrimaryPartition => new()
    {
        "one-group-signed-legacy.sif",
        "one-group-signed-legacy-all.sif",
        "two-groups-signed-legacy.sif",
        "two-groups-signed-legacy-all.sif",
    };

    [Theory]
    [InlineData("one-group-signed-legacy-group.sif", 1u)]
    [InlineData("two-groups-signed-legacy-group.sif", 1u)]
    public void Verify_LegacyInsecureGroup_VerifiesConcatenatedGroup(string image, uint group)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(GroupId: group, LegacyInsecure: true), FixtureKeys);

        AssertVerifiedExactly(result, 1, 2);
    }

    [Fact]
    public void Verify_LegacyInsecureAllOnAllSignedImage_VerifiesEveryObject()
    {
        var result = ImageVerifier.Verify(
            Fixtures.Image("one-group-signed-legacy-all.sif"), new VerifyOptions(LegacyInsecure: true, AllObjects: true), FixtureKeys);

        AssertVerifiedExactly(result, 1, 2);
    }

    [Fact]
    public void Verify_LegacyInsecureAllWithUnsignedObject_SignatureNotFoundForObject()
    {
        // two-groups-signed-legacy-all.sif signs objects 1 and 2 only; object 3 (group 2) has none.
        var result = ImageVerifier.Verify(
            Fixtures.Image("two-groups-signed-legacy-all.sif"), new VerifyOptions(LegacyInsecure: true, AllObjects: true), FixtureKeys);

        Assert.False(result.Verified);
        Assert.Equal("signature not found for object 3", result.Error!.Message);
    }

    [Fact]
    public void Verify_LegacyInsecureOnModernImage_SignatureNotFoundForPrimary()
    {
        var result = ImageVerifier.Verify(Fixtures.Image("one-group-signed.sif"), new VerifyOptions(LegacyInsecure: true), FixtureKeys);

        Assert.False(result.Verified);
        Assert.Equal("signature not found for object 2", result.Error!.Message);
    }

    [Fact]
    public void Verify_NoKeyMaterial_KeyMaterialNotProvided()
    {
        var result = ImageVerifier.Verify(Fixtures.Image("one-group-signed.sif"), new VerifyOptions(), keys: null);

        Assert.Equal("key material not provided for PGP clear-sign signature", result.Error!.Message);
    }

    [Fact]
    public void Verify_UnknownKey_SignatureNotValidUnknownEntity()
    {
        var other = TestKeys.Rsa("Other <other@example.com>");

        var result = ImageVerifier.Verify(Fixtures.Image("one-group-signed.sif"), new VerifyOptions(), new PgpVerificationKeys([other.Public]));

        Assert.Equal(IntegrityErrorKind.SignatureNotValid, result.Error!.Kind);
        Assert.Equal("integrity: signature object 3 not valid: openpgp: signature made by unknown entity", result.Error.ToString());
    }

    [Fact]
    public void Verify_IgnoreErrorCallback_SkipsSignatureNotValid()
    {
        var other = TestKeys.Rsa("Other <other@example.com>");
        var seen = new List<SignatureCheck>();
        var options = new VerifyOptions { IgnoreError = c => { seen.Add(c); return c.Error?.Kind == IntegrityErrorKind.SignatureNotValid; } };

        var result = ImageVerifier.Verify(Fixtures.Image("two-groups-signed.sif"), options, new PgpVerificationKeys([other.Public]));

        Assert.True(result.Verified);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void SignedBy_TwoGroupImage_ReturnsFixtureFingerprint()
    {
        using var image = SifImage.Open(Fixtures.Image("two-groups-signed.sif"));

        var all = ImageVerifier.SignedBy(image, new VerifyOptions(), all: true);

        Assert.Equal([Fixtures.KeyFingerprint], all.Select(Convert.ToHexString));
    }

    [Theory]
    [InlineData("one-group-signed.sif", 0u)]
    [InlineData("one-group-signed.sif", 9u)]
    public void Verify_BadObjectSelection_ClearError(string image, uint objectId)
    {
        var result = ImageVerifier.Verify(Fixtures.Image(image), new VerifyOptions(ObjectId: objectId), FixtureKeys);

        Assert.False(result.Verified);
        Assert.Contains(result.Error!.Kind, new[] { IntegrityErrorKind.InvalidId, IntegrityErrorKind.ObjectNotFound });
    }

    [Fact]
    public void Verify_MissingGroup_GroupNotFound()
    {
        var result = ImageVerifier.Verify(Fixtures.Image("one-group-signed.sif"), new VerifyOptions(GroupId: 7), FixtureKeys);

        Assert.Equal("group not found", result.Error!.Message);
    }

    [Fact]
    public void Verify_EnvelopeSignatureWithPluggedVerifier_VerifiesWithoutPgpKeys()
    {
        using var dir = new TempDirectory();
        var path = EnvelopeSignedCopy(dir, "two-groups.sif");

        var result = ImageVerifier.Verify(path, new VerifyOptions { Envelope = new FakeEnvelopeVerifier(accept: true) }, keys: null);

        Assert.True(result.Verified, result.Error?.ToString());
        Assert.All(result.Signatures, s => Assert.Equal(SignatureFormat.Dsse, s.Format));
        Assert.All(result.Signatures, s => Assert.Null(s.Fingerprint));
        Assert.Equal([1u, 2u, 3u], result.Signatures.SelectMany(s => s.VerifiedObjects).Select(d => d.Id).Order());
    }

    [Fact]
    public void Verify_EnvelopeRejected_SignatureNotValidWithCause()
    {
        using var dir = new TempDirectory();
        var path = EnvelopeSignedCopy(dir, "one-group.sif");

        var result = ImageVerifier.Verify(path, new VerifyOptions { Envelope = new FakeEnvelopeVerifier(accept: false) }, keys: null);

        Assert.Equal("signature object 3 not valid: dsse: verify envelope failed: no key", result.Error!.Message);
    }

    [Fact]
    public void Verify_MixedPgpAndEnvelopeWithPgpKeysOnly_KeyMaterialNotProvidedForDsse()
    {
        using var dir = new TempDirectory();
        var path = EnvelopeSignedCopy(dir, "one-group-signed.sif");

        var result = ImageVerifier.Verify(path, new VerifyOptions(), FixtureKeys);

        Assert.Equal("key material not provided for DSSE envelope signature", result.Error!.Message);
        Assert.Null(result.Signatures[0].Error);
    }

    /// <summary>An envelope in the DSSE shape without real cryptography, to exercise the plug-in points.</summary>
    private sealed class FakeEnvelopeEncoder : ISignatureEncoder
    {
        public SifHashType HashType => SifHashType.Sha256;

        public ReadOnlyMemory<byte> Fingerprint => ReadOnlyMemory<byte>.Empty;

        public byte[] Encode(ReadOnlySpan<byte> metadata) => System.Text.Encoding.ASCII.GetBytes(
            $"{{\"payloadType\":\"{ImageMetadata.MediaType}\",\"payload\":\"{Convert.ToBase64String(metadata)}\",\"signatures\":[]}}");
    }

    private sealed class FakeEnvelopeVerifier(bool accept) : IEnvelopeVerifier
    {
        public byte[] Verify(ReadOnlySpan<byte> envelope)
        {
            if (!accept)
            {
                throw new IntegrityException("dsse: verify envelope failed: no key");
            }

            using var document = System.Text.Json.JsonDocument.Parse(envelope.ToArray());
            return Convert.FromBase64String(document.RootElement.GetProperty("payload").GetString()!);
        }
    }
}
