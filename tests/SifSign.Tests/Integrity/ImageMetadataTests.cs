namespace SifSign.Tests.Integrity;

public class ImageMetadataTests
{
    public static TheoryData<string, DigestAlgorithm> Algorithms => new()
    {
        { "SHA224", DigestAlgorithm.Sha224 },
        { "SHA256", DigestAlgorithm.Sha256 },
        { "SHA384", DigestAlgorithm.Sha384 },
        { "SHA512", DigestAlgorithm.Sha512 },
        { "SHA512_224", DigestAlgorithm.Sha512_224 },
        { "SHA512_256", DigestAlgorithm.Sha512_256 },
    };

    public static TheoryData<string, DigestAlgorithm> ImageAlgorithms => new()
    {
        { "SHA224", DigestAlgorithm.Sha224 },
        { "SHA256", DigestAlgorithm.Sha256 },
        { "SHA384", DigestAlgorithm.Sha384 },
        { "SHA512", DigestAlgorithm.Sha512 },
    };

    // The Go tests encode with json.Encoder, which ends each golden with a newline the signed bytes lack.
    private static string JsonGolden(string test, string name) =>
        File.ReadAllText(Fixtures.IntegrityGolden(test, name)).TrimEnd('\n');

    [Theory]
    [MemberData(nameof(ImageAlgorithms))]
    public void Build_OneGroupImage_MatchesReferenceGolden(string golden, DigestAlgorithm algorithm)
    {
        using var image = SifImage.Open(Fixtures.Image("one-group.sif"));

        var json = ImageMetadata.Build(image, 1, [1, 2], algorithm, progress: null);

        Assert.Equal(JsonGolden("TestGetImageMetadata", golden), Encoding.ASCII.GetString(json));
    }

    [Theory]
    [InlineData("Object1", 1u)]
    [InlineData("Object2", 2u)]
    public void Build_SingleObject_MatchesReferenceGolden(string golden, uint id)
    {
        using var image = SifImage.Open(Fixtures.Image("one-group.sif"));

        var json = ImageMetadata.Build(image, 1, [id]);

        Assert.Equal(JsonGolden("TestGetImageMetadata", golden), Encoding.ASCII.GetString(json));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Digest_HeaderIntegritySource_MatchesReferenceGolden(string golden, DigestAlgorithm algorithm)
    {
        var header = File.ReadAllBytes(Path.Combine(Fixtures.Root, "pkg/integrity/testdata/sources/header.bin"));

        var json = $"{{\"digest\":\"{Digest.Compute(algorithm, header)}\"}}";

        Assert.Equal(JsonGolden("TestGetHeaderMetadata", golden), json);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Digest_DescriptorSourceAndData_MatchReferenceGolden(string golden, DigestAlgorithm algorithm)
    {
        var descriptor = File.ReadAllBytes(Path.Combine(Fixtures.Root, "pkg/integrity/testdata/sources/descr-rid0.bin"));

        var json = $"{{\"relativeId\":0,\"descriptorDigest\":\"{Digest.Compute(algorithm, descriptor)}\",\"objectDigest\":\"{Digest.Compute(algorithm, "blah"u8)}\"}}";

        Assert.Equal(JsonGolden("TestGetObjectMetadata", golden), json);
    }

    [Fact]
    public void HeaderIntegrityBytes_DeterministicImage_LaunchMagicVersionAndNilId()
    {
        using var image = SifImage.Open(Fixtures.Image("one-group.sif"));

        var bytes = image.Header.GetIntegrityBytes();

        Assert.Equal(SifHeader.IntegritySize, bytes.Length);
        Assert.Equal("sha256:635fa0a14a8ef0c0351ed3e985799ed1d4f75ce973dea3cc76c99710795cc3f1", Digest.Compute(DigestAlgorithm.Sha256, bytes).ToString());
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha256:abc:def")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:zz")]
    [InlineData("sha256:0011")]
    [InlineData("")]
    public void DigestParse_Malformed_ThrowsIntegrityException(string text)
    {
        Assert.Throws<IntegrityException>(() => Digest.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"header\":{\"digest\":5}}")]
    [InlineData("{\"header\":{\"digest\":\"sha256:00\"}}")]
    [InlineData("{\"header\":{\"digest\":\"sha256:635fa0a14a8ef0c0351ed3e985799ed1d4f75ce973dea3cc76c99710795cc3f1\"},\"objects\":[1]}")]
    [InlineData("{\"header\":{\"digest\":\"sha256:635fa0a14a8ef0c0351ed3e985799ed1d4f75ce973dea3cc76c99710795cc3f1\"},\"objects\":[{\"relativeId\":-1}]}")]
    [InlineData("{\"header\":{\"digest\":\"sha256:635fa0a14a8ef0c0351ed3e985799ed1d4f75ce973dea3cc76c99710795cc3f1\"},\"objects\":[{\"relativeId\":0}]}")]
    [InlineData("{\"header\":")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Parse_HostileJson_ThrowsIntegrityException(string json)
    {
        Assert.Throws<IntegrityException>(() => ImageMetadata.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_GoStyleCaseAndUnknownFields_Accepted()
    {
        var json = """{"VERSION":1,"extra":true,"Header":{"Digest":"sha256:635fa0a14a8ef0c0351ed3e985799ed1d4f75ce973dea3cc76c99710795cc3f1"},"Objects":null}""";

        var metadata = ImageMetadata.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Empty(metadata.Objects);
    }

    [Fact]
    public void Check_ObjectAddedAfterSigning_ObjectNotSigned()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        byte[] json;
        using (var image = SifImage.Open(path))
        {
            json = ImageMetadata.Build(image, 1, [1, 2]);
        }

        using (var image = SifImage.Open(path, writable: true))
        {
            image.AddObject(new SifObjectInput { DataType = SifDataType.GenericJson, Data = new MemoryStream("{}"u8.ToArray()), Name = "late.json" });
            var check = ImageMetadata.Check(image, 1, json);

            Assert.Equal("object 3: object not signed", check.Error!.Message);
            Assert.Equal(3u, check.Error.ObjectId);
        }
    }

    [Fact]
    public void Check_SignedObjectDeleted_SignedObjectNotFound()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        using var image = SifImage.Open(path, writable: true);
        var json = ImageMetadata.Build(image, 1, [1, 2]);

        image.DeleteObject(1);
        var check = ImageMetadata.Check(image, 1, json);

        // Deleting object 1 shifts the group minimum to 2, so the signed relative IDs 0 and 1 now mean 2 and 3.
        Assert.Equal(IntegrityErrorKind.SignedObjectNotFound, check.Error!.Kind);
    }

    [Fact]
    public void Check_UnchangedImage_VerifiesAll()
    {
        using var image = SifImage.Open(Fixtures.Image("two-groups.sif"));
        var json = ImageMetadata.Build(image, 1, [1, 2]);

        var check = ImageMetadata.Check(image, 1, json);

        Assert.Null(check.Error);
        Assert.Equal([1u, 2u], check.Verified.Select(d => d.Id));
    }
}
