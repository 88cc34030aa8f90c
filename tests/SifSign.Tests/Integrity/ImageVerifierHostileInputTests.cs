namespace SifSign.Tests.Integrity;

public class ImageVerifierHostileInputTests
{
    private static readonly PgpVerificationKeys FixtureKeys = new([Fixtures.PublicKeyRing]);

    [Theory]
    [InlineData(32768L, 1u)]
    [InlineData(36864L + 100, 2u)]
    public void Verify_ByteFlippedInObject_ObjectIntegrityWithId(long offset, uint id)
    {
        var result = VerifyTampered("one-group-signed.sif", offset);

        Assert.Equal(IntegrityErrorKind.ObjectIntegrity, result.Error!.Kind);
        Assert.Equal($"integrity: data object integrity compromised: {id}", result.Error.ToString());
        Assert.Equal(id, result.Error.ObjectId);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    public void Verify_DescriptorNameChanged_DescriptorIntegrityWithId(uint id)
    {
        var result = VerifyTampered("one-group-signed.sif", 4096 + ((id - 1) * 585) + 73);

        Assert.Equal($"data object descriptor integrity compromised: {id}", result.Error!.Message);
        Assert.Equal(id, result.Error.ObjectId);
    }

    [Fact]
    public void Verify_LaunchScriptChanged_HeaderIntegrity()
    {
        var result = VerifyTampered("one-group-signed.sif", 0);

        Assert.Equal("header integrity compromised", result.Error!.Message);
    }

    [Fact]
    public void Verify_UncoveredHeaderFieldChanged_StillVerifies()
    {
        // ModifiedAt (offset 72) is outside the header integrity bytes, so signing more must not break older signatures.
        var result = VerifyTampered("one-group-signed.sif", 72);

        Assert.True(result.Verified, result.Error?.ToString());
    }

    [Fact]
    public void Verify_SignedTextChanged_SignatureNotValid()
    {
        var result = VerifyAltered("one-group-signed.sif", path =>
        {
            var text = File.ReadAllText(path, Encoding.Latin1);
            var at = text.IndexOf("\"relativeId\":0", StringComparison.Ordinal);
            ImageSignerTests.Patch(path, at + 13, "0"u8.ToArray());
            ImageSignerTests.Patch(path, text.IndexOf("sha256:635f", StringComparison.Ordinal) + 7, "7"u8.ToArray());
        });

        Assert.Equal(IntegrityErrorKind.SignatureNotValid, result.Error!.Kind);
        Assert.StartsWith("signature object 3 not valid: openpgp: invalid signature", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a signature at all")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{}\n")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nBogus: x\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----")]
    [InlineData("{\"payloadType\":\"text/plain\",\"payload\":\"\",\"signatures\":[]}")]
    public void Verify_MalformedSignatureObject_FormatNotRecognized(string content)
    {
        var result = VerifyWithSignatureObject(Encoding.UTF8.GetBytes(content));

        Assert.Equal("signature format not recognized", result.Error!.Message);
    }

    [Fact]
    public void Verify_ClearSignedGarbagePackets_SignatureNotValid()
    {
        var content = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{}\n-----BEGIN PGP SIGNATURE-----\n\nAAECAwQFBgcICQ==\n-----END PGP SIGNATURE-----";

        var result = VerifyWithSignatureObject(Encoding.ASCII.GetBytes(content));

        Assert.Equal(IntegrityErrorKind.SignatureNotValid, result.Error!.Kind);
    }

    [Fact]
    public void Verify_CrcMismatch_FormatNotRecognized()
    {
        var good = File.ReadAllText(Fixtures.SiftoolGolden("TestApp_Dump", "Three"));
        var bad = good.Replace("=3Jq2", "=AAAA", StringComparison.Ordinal);

        var result = VerifyWithSignatureObject(Encoding.ASCII.GetBytes(bad));

        Assert.Equal(IntegrityErrorKind.SignatureFormatNotRecognized, result.Error!.Kind);
    }

    [Fact]
    public void Verify_RandomSignaturePackets_ClearErrorNeverCrash()
    {
        var random = new Random(99);
        var valid = ParsePackets(File.ReadAllText(Fixtures.SiftoolGolden("TestApp_Dump", "Three")));
        for (var i = 0; i < 40; i++)
        {
            var packets = (byte[])valid.Clone();
            for (var j = 0; j < 4; j++)
            {
                packets[random.Next(packets.Length)] = (byte)random.Next(256);
            }

            if (i % 5 == 0)
            {
                packets = packets[..random.Next(1, packets.Length)];
            }

            var framed = ClearSign.Encode("SHA256", "{\"version\":1}"u8, packets, checksum: false);
            var result = VerifyWithSignatureObject(framed);

            Assert.False(result.Verified);
            Assert.Contains(result.Error!.Kind, new[] { IntegrityErrorKind.SignatureNotValid, IntegrityErrorKind.SignatureFormatNotRecognized });
        }
    }

    [Fact]
    public void Verify_ValidSignatureOverMalformedJson_SignatureNotValid()
    {
        var encoder = new PgpClearSignEncoder(Fixtures.PrivateKey, Fixtures.PrimaryKey);

        var result = VerifyWithSignatureObject(encoder.Encode("{\"version\":1,\"header\":"u8));

        Assert.Equal(IntegrityErrorKind.SignatureNotValid, result.Error!.Kind);
        Assert.StartsWith("signature object 3 not valid: invalid metadata JSON", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DsseEnvelopeWithoutVerifier_KeyMaterialNotProvided()
    {
        var envelope = $"{{\"payloadType\":\"{ImageMetadata.MediaType}\",\"payload\":\"e30=\",\"signatures\":[]}}\n";

        var result = VerifyWithSignatureObject(Encoding.ASCII.GetBytes(envelope));

        Assert.Equal("key material not provided for DSSE envelope signature", result.Error!.Message);
        Assert.Equal(SignatureFormat.Dsse, result.Signatures.Single().Format);
    }

    [Fact]
    public void Verify_HugeSignatureObject_SignatureNotValidWithoutLoadingIt()
    {
        var huge = new byte[ImageVerifier.MaxSignatureSize + 1];
        Encoding.ASCII.GetBytes("-----BEGIN PGP SIGNED MESSAGE-----\n").CopyTo(huge, 0);

        var result = VerifyWithSignatureObject(huge);

        Assert.Equal(IntegrityErrorKind.SignatureNotValid, result.Error!.Kind);
        Assert.Contains("larger than", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnsupportedHashTypeInDescriptor_ClearError()
    {
        var result = VerifyAltered("one-group-signed.sif", path => ImageSignerTests.Patch(path, 4096 + (2 * 585) + 201, [9, 0, 0, 0]));

        Assert.Equal("hash algorithm unsupported", result.Error!.Message);
    }

    [Fact]
    public void Verify_NonSignatureObjectWithoutGroup_NonGroupedObject()
    {
        var result = VerifyAltered("one-group-signed.sif", path =>
        {
            using var image = SifImage.Open(path, writable: true);
            image.AddObject(new SifObjectInput { DataType = SifDataType.Generic, Data = new MemoryStream([1]), GroupId = 0 });
        });

        Assert.Equal("non-signature object not associated with object group", result.Error!.Message);
    }

    [Fact]
    public void Verify_StreamingObjectLargerThanBuffer_VerifiesAndDetectsLateTamper()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.sif");
        var size = (20 * 1024 * 1024) + 12345;
        var data = new byte[size];
        new Random(7).NextBytes(data);
        SifImage.Create(path, new SifCreateOptions { Deterministic = true }, [new SifObjectInput
        {
            DataType = SifDataType.Partition,
            Data = new MemoryStream(data),
            Extra = SifObjectInput.PartitionExtra(SifFsType.Squashfs, SifPartType.PrimarySystem, "amd64"),
        }]);
        ImageSigner.Sign(path, Fixtures.PrivateKey, Fixtures.PrimaryKey, new SignOptions());
        long reported = 0;

        var result = ImageVerifier.Verify(path, new VerifyOptions(), FixtureKeys, new SyncProgress(n => reported += n));

        Assert.True(result.Verified, result.Error?.ToString());
        Assert.Equal(size, reported);
        using (var image = SifImage.Open(path))
        {
            ImageSignerTests.Patch(path, image.GetDescriptor(1).Offset + size - 3, [(byte)(data[^3] ^ 0xFF)]);
        }

        Assert.Equal("data object integrity compromised: 1", ImageVerifier.Verify(path, new VerifyOptions(), FixtureKeys).Error!.Message);
    }

    private static byte[] ParsePackets(string clearSigned) =>
        ClearSign.Decode(Encoding.ASCII.GetBytes(clearSigned))!.SignaturePackets;

    // Verifies a copy of the fixture after alter has changed the file at the path it is given.
    private static VerifyResult VerifyAltered(string fixture, Action<string> alter)
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage(fixture);
        alter(path);
        return ImageVerifier.Verify(path, new VerifyOptions(), FixtureKeys);
    }

    private static VerifyResult VerifyTampered(string fixture, long offset) =>
        VerifyAltered(fixture, path => ImageSignerTests.Patch(path, offset, [(byte)(File.ReadAllBytes(path)[offset] ^ 0x01)]));

    /// <summary>one-group.sif plus one signature object with the given bytes, linked to group 1.</summary>
    private static VerifyResult VerifyWithSignatureObject(byte[] content)
    {
        return VerifyAltered("one-group.sif", path =>
        {
            using var image = SifImage.Open(path, writable: true);
            image.AddObject(new SifObjectInput
            {
                DataType = SifDataType.Signature,
                Data = new MemoryStream(content),
                GroupId = 0,
                LinkedId = 1,
                LinkToGroup = true,
                Extra = SifObjectInput.SignatureExtra(SifHashType.Sha256, Convert.FromHexString(Fixtures.KeyFingerprint)),
            });
        });
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
