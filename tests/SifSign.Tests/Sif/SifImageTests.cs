namespace SifSign.Tests.Sif;

public class SifImageTests
{
    public static TheoryData<string> UnsignedImages =>
    [
        "empty.sif", "empty-id.sif", "empty-launch-script.sif", "one-object-time.sif", "one-object-generic-json.sif",
        "one-object-crypt-message.sif", "one-object-sbom.sif", "one-group.sif", "two-groups.sif",
    ];

    [Theory]
    [MemberData(nameof(UnsignedImages))]
    public void Create_FromReferenceObjects_ReproducesImageByteForByte(string name)
    {
        using var dir = new TempDirectory();
        var target = dir.File("rebuilt.sif");
        using (var reference = SifImage.Open(Fixtures.Image(name)))
        {
            var h = reference.Header;
            var options = new SifCreateOptions
            {
                LaunchScript = h.LaunchScript,
                Id = h.Id,
                Deterministic = h.CreatedAt == SifHeader.UnsetTime,
                Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(h.CreatedAt)),
                DescriptorCapacity = (int)h.DescriptorsTotal,
            };
            var inputs = reference.Descriptors.Select(d => new SifObjectInput
            {
                DataType = d.DataType,
                Data = new MemoryStream(reference.ReadObject(d, 1 << 20)),
                Name = d.Name,
                GroupId = d.GroupId,
                LinkedId = d.LinkedId,
                LinkToGroup = d.IsLinkedToGroup,
                Extra = d.Extra,
                CreatedAt = d.CreatedAt,
            }).ToList();

            SifImage.Create(target, options, inputs);
        }

        Assert.Equal(File.ReadAllBytes(Fixtures.Image(name)), File.ReadAllBytes(target));
    }

    [Fact]
    public void Create_DefaultOptions_EmptyImageLayout()
    {
        using var dir = new TempDirectory();
        var path = dir.File("new.sif");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        SifImage.Create(path, new SifCreateOptions { Time = new FakeTimeProvider(now) }, []);

        using var image = SifImage.Open(path);
        Assert.Equal(32176, new FileInfo(path).Length);
        Assert.Equal(48, image.Header.DescriptorsFree);
        Assert.Equal(4096, image.Header.DescriptorsOffset);
        Assert.Equal(32176, image.Header.DataOffset);
        Assert.NotEqual(Guid.Empty, image.Header.Id);
        Assert.Equal(1_700_000_000, image.Header.CreatedAt);
        Assert.Empty(image.Descriptors);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Open_UuidStoredBigEndian()
    {
        using var image = SifImage.Open(Fixtures.Image("one-group-signed-legacy.sif"));

        Assert.Equal(Guid.Parse("6ecc76b7-a497-4f7f-9ebd-8da2a04c6be1"), image.Header.Id);
        var raw = File.ReadAllBytes(Fixtures.Image("one-group-signed-legacy.sif")).AsSpan(48, 16).ToArray();
        Assert.Equal("6ECC76B7A4974F7F9EBD8DA2A04C6BE1", Convert.ToHexString(raw));
    }

    [Fact]
    public void AddObject_DeterministicImage_AppendsWithUnsetTimesAndNextId()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        var oldLength = new FileInfo(path).Length;

        using (var image = SifImage.Open(path, writable: true))
        {
            var added = image.AddObject(new SifObjectInput { DataType = SifDataType.GenericJson, Data = new MemoryStream("{\"a\":1}"u8.ToArray()), Name = "a.json" });

            Assert.Equal(3u, added.Id);
            Assert.Equal(oldLength, added.Offset);
            Assert.Equal(SifHeader.UnsetTime, added.CreatedAt);
        }

        using var reopened = SifImage.Open(path);
        Assert.Equal(45, reopened.Header.DescriptorsFree);
        Assert.True(reopened.Header.IsDeterministic);
        Assert.Equal("a.json", reopened.GetDescriptor(3).Name);
        Assert.Equal("{\"a\":1}"u8.ToArray(), reopened.ReadObject(reopened.GetDescriptor(3), 100));
        Assert.Equal(oldLength + 7 - reopened.Header.DataOffset, reopened.Header.DataSize);
    }

    [Fact]
    public void AddObject_Partition_AlignedTo4096AndPaddingRecorded()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-object-generic-json.sif");
        using var image = SifImage.Open(path, writable: true);

        var added = image.AddObject(new SifObjectInput
        {
            DataType = SifDataType.Partition,
            Data = new MemoryStream(new byte[10]),
            Extra = SifObjectInput.PartitionExtra(SifFsType.Squashfs, SifPartType.PrimarySystem, "arm64"),
        });

        Assert.Equal(0, added.Offset % 4096);
        Assert.Equal(added.Offset - 32178 + 10, added.SizeWithPadding);
        Assert.Equal("04", image.Header.Arch);
    }

    [Fact]
    public void AddObject_SecondPrimaryPartition_Rejected() => AssertRefusedAndUnchanged(
        "one-group.sif",
        image => image.AddObject(new SifObjectInput
        {
            DataType = SifDataType.Partition,
            Data = new MemoryStream(new byte[10]),
            Extra = SifObjectInput.PartitionExtra(SifFsType.Squashfs, SifPartType.PrimarySystem, "amd64"),
        }),
        "image already contains a primary partition");

    [Fact]
    public void AddObject_NoFreeDescriptor_InsufficientCapacity()
    {
        using var dir = new TempDirectory();
        var path = dir.File("small.sif");
        SifImage.Create(path, new SifCreateOptions { Deterministic = true, DescriptorCapacity = 1 },
            [new SifObjectInput { DataType = SifDataType.Generic, Data = new MemoryStream([1]) }]);
        using var image = SifImage.Open(path, writable: true);

        var error = Assert.Throws<SifException>(() => image.AddObject(new SifObjectInput { DataType = SifDataType.Generic, Data = new MemoryStream([2]) }));

        Assert.Equal("insufficient descriptor capacity to add data object(s) to image", error.Message);
    }

    [Fact]
    public void AddObject_ReadOnlyImage_Rejected()
    {
        using var image = SifImage.Open(Fixtures.Image("one-group.sif"));

        Assert.Throws<SifException>(() => image.AddObject(new SifObjectInput { DataType = SifDataType.Generic, Data = new MemoryStream([1]) }));
    }

    [Fact]
    public void AddObject_NameLongerThan128Bytes_Rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        using var image = SifImage.Open(path, writable: true);

        Assert.Throws<SifException>(() => image.AddObject(new SifObjectInput { DataType = SifDataType.Generic, Data = new MemoryStream([1]), Name = new string('n', 129) }));
    }

    [Fact]
    public void Create_LaunchScriptTooLong_Rejected()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<SifException>(() => SifImage.Create(dir.File("x.sif"), new SifCreateOptions { LaunchScript = new string('#', 32) }, []));

        Assert.Equal("launch script too large", error.Message);
        Assert.False(File.Exists(dir.File("x.sif")));
    }

    [Fact]
    public void DeleteObject_ThenAdd_ReusesFreedSlotId()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups.sif");
        using var image = SifImage.Open(path, writable: true);

        image.DeleteObject(1);
        var added = image.AddObject(new SifObjectInput { DataType = SifDataType.Generic, Data = new MemoryStream([9]) });

        Assert.Equal(1u, added.Id);
        Assert.Equal(45, image.Header.DescriptorsFree);
    }

    [Fact]
    public void DeleteObject_PrimaryPartition_ResetsHeaderArch()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        using (var image = SifImage.Open(path, writable: true))
        {
            image.DeleteObject(2);
        }

        using var reopened = SifImage.Open(path);
        Assert.Equal("00", reopened.Header.Arch);
        Assert.Null(reopened.FindDescriptor(2));
        Assert.Equal(47, reopened.Header.DescriptorsFree);
    }

    [Fact]
    public void DeleteObject_LastWithCompactAndZero_TruncatesFile()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups.sif");
        using (var image = SifImage.Open(path, writable: true))
        {
            image.DeleteObject(3, zero: true, compact: true);
        }

        Assert.Equal(40960, new FileInfo(path).Length);
        using var reopened = SifImage.Open(path);
        Assert.Equal(40960 - reopened.Header.DataOffset, reopened.Header.DataSize);
    }

    [Fact]
    public void DeleteObject_NotLastWithCompact_Rejected() =>
        AssertRefusedAndUnchanged("two-groups.sif", image => image.DeleteObject(1, compact: true), "compact not implemented for non-last object");

    [Fact]
    public void DeleteObject_Unknown_ObjectNotFound()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups.sif");
        using var image = SifImage.Open(path, writable: true);

        Assert.Equal("object not found", Assert.Throws<SifException>(() => image.DeleteObject(42)).Message);
    }

    [Fact]
    public void SetPrimaryPartition_SystemPartition_SwapsPrimaryAndBreaksSignature()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups-signed.sif");
        using (var image = SifImage.Open(path, writable: true))
        {
            image.SetPrimaryPartition(3);

            Assert.Equal(SifPartType.PrimarySystem, image.GetDescriptor(3).GetPartitionMetadata().PartType);
            Assert.Equal(SifPartType.System, image.GetDescriptor(2).GetPartitionMetadata().PartType);
            Assert.Equal("02", image.Header.Arch);
        }

        var result = ImageVerifier.Verify(path, new VerifyOptions(), new PgpVerificationKeys([Fixtures.PublicKeyRing]));
        Assert.Equal("data object descriptor integrity compromised: 2", result.Error!.Message);
        Assert.Equal(2u, result.Error.ObjectId);
    }

    [Theory]
    [InlineData("one-object-generic-json.sif", 1u, "data object not a partition")]
    [InlineData("two-groups.sif", 9u, "object not found")]
    public void SetPrimaryPartition_NotASystemPartition_Rejected(string fixture, uint id, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage(fixture);
        using var image = SifImage.Open(path, writable: true);

        Assert.Equal(message, Assert.Throws<SifException>(() => image.SetPrimaryPartition(id)).Message);
    }

    [Fact]
    public void SetPrimaryPartition_DataPartition_NotASystemPartition()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-object-generic-json.sif");
        using var image = SifImage.Open(path, writable: true);
        var data = image.AddObject(new SifObjectInput
        {
            DataType = SifDataType.Partition,
            Data = new MemoryStream([1]),
            Extra = SifObjectInput.PartitionExtra(SifFsType.Ext3, SifPartType.Data, "amd64"),
        });

        Assert.Equal("data object not a system partition", Assert.Throws<SifException>(() => image.SetPrimaryPartition(data.Id)).Message);
    }

    [Fact]
    public void OpenObject_BoundedView_ReadsExactlyTheObject()
    {
        using var image = SifImage.Open(Fixtures.Image("one-group.sif"));
        using var stream = image.OpenObject(image.GetDescriptor(1));
        using var copy = new MemoryStream();

        stream.CopyTo(copy);

        Assert.Equal(new byte[] { 0xFA, 0xCE, 0xFE, 0xED }, copy.ToArray());
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public void AddObject_OciBlob_DigestWrittenToExtra()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        using var image = SifImage.Open(path, writable: true);

        var blob = image.AddObject(new SifObjectInput { DataType = SifDataType.OciBlob, Data = new MemoryStream("abc"u8.ToArray()) });

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", blob.GetOciDigest());
    }

    // The change is refused with the message and leaves the copy of the fixture byte for byte as it was.
    private static void AssertRefusedAndUnchanged(string fixture, Action<SifImage> change, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage(fixture);
        var before = File.ReadAllBytes(path);
        using (var image = SifImage.Open(path, writable: true))
        {
            var error = Assert.Throws<SifException>(() => change(image));
            Assert.Equal(message, error.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
