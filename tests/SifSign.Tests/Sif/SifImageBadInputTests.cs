using System.Buffers.Binary;

namespace SifSign.Tests.Sif;

public class SifImageBadInputTests
{
    private const int Descriptors = 4096;

    [Fact]
    public void Open_MissingFile_ClearError()
    {
        var error = Assert.Throws<SifException>(() => SifImage.Open("/nonexistent/x.sif"));

        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Directory_ClearError()
    {
        using var dir = new TempDirectory();

        Assert.ThrowsAny<SifException>(() => SifImage.Open(dir.Path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    public void Open_TruncatedHeader_FormatError(int length)
    {
        var error = Open(b => b.AsSpan(0, length).ToArray());

        Assert.Contains("too small", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(Descriptors + 100)]
    [InlineData(32000)]
    public void Open_TruncatedDescriptors_FormatError(int length)
    {
        var error = Open(b => b.AsSpan(0, length).ToArray());

        Assert.Contains("outside the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedObjectData_FormatError()
    {
        var error = Open(b => b.AsSpan(0, 38000).ToArray());

        Assert.Contains("beyond the end of the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WrongMagic_InvalidSifMagic()
    {
        var error = Open(b => Set(b, 32, "SIF_MAGIK\0"u8));

        Assert.Equal("invalid SIF magic", error.Message);
    }

    [Theory]
    [InlineData("02\0")]
    [InlineData("1\0\0")]
    public void Open_WrongVersion_IncompatibleVersion(string version)
    {
        var error = Open(b => Set(b, 42, System.Text.Encoding.ASCII.GetBytes(version)));

        Assert.Equal("incompatible SIF version", error.Message);
    }

    [Theory]
    [InlineData(88, -1L)]
    [InlineData(88, 1L << 40)]
    [InlineData(88, 1000L)]
    [InlineData(96, 1L << 50)]
    [InlineData(96, 0L)]
    [InlineData(96, -4096L)]
    [InlineData(104, 100L)]
    [InlineData(112, -1L)]
    [InlineData(112, long.MaxValue)]
    [InlineData(120, -5L)]
    public void Open_HeaderCountsAndOffsetsOutOfRange_FormatError(int field, long value)
    {
        Open(b => SetInt64(b, field, value));
    }

    [Theory]
    [InlineData(17, -1L)]
    [InlineData(17, long.MaxValue)]
    [InlineData(17, 1L << 40)]
    [InlineData(25, -4L)]
    [InlineData(25, long.MaxValue)]
    [InlineData(25, 1L << 40)]
    public void Open_ObjectOffsetOrSizeOutOfRange_FormatError(int field, long value)
    {
        // Slot 0 of one-group.sif is object 1.
        Open(b => SetInt64(b, Descriptors + field, value));
    }

    [Fact]
    public void Open_OverlappingObjects_FormatError()
    {
        // Move object 2 (at 36864) onto object 1 (at 32768).
        var error = Open(b => SetInt64(b, Descriptors + 585 + 17, 32766));

        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ObjectInsideDescriptorTable_FormatError()
    {
        var error = Open(b => SetInt64(b, Descriptors + 17, Descriptors + 10));

        Assert.Contains("overlaps the header or the descriptors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DuplicateObjectIds_FormatError()
    {
        var error = Open(b => Set(b, Descriptors + 585 + 5, [1, 0, 0, 0]));

        Assert.Contains("duplicate object ID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ObjectIdZero_FormatError()
    {
        Open(b => Set(b, Descriptors + 5, [0, 0, 0, 0]));
    }

    [Fact]
    public void Open_GarbageInUnusedSlot_Ignored()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixtures.Image("one-group.sif"));
        bytes.AsSpan(Descriptors + (10 * 585) + 5, 100).Fill(0xAB);
        var path = dir.File("garbage.sif");
        File.WriteAllBytes(path, bytes);

        using var image = SifImage.Open(path);

        Assert.Equal(2, image.Descriptors.Count);
    }

    [Fact]
    public void Open_RandomBytes_FormatErrorNeverCrash()
    {
        var random = new Random(1234);
        for (var i = 0; i < 50; i++)
        {
            var bytes = File.ReadAllBytes(Fixtures.Image("two-groups-signed.sif"));
            for (var j = 0; j < 8; j++)
            {
                bytes[random.Next(0, Descriptors + (6 * 585))] = (byte)random.Next(256);
            }

            using var dir = new TempDirectory();
            var path = dir.File("fuzz.sif");
            File.WriteAllBytes(path, bytes);
            try
            {
                using var image = SifImage.Open(path);
                _ = SifSign.Text.SifText.List(image);
                _ = SifSign.Integrity.ImageVerifier.Verify(image, new SifSign.Integrity.VerifyOptions(), new SifSign.Integrity.PgpVerificationKeys([Fixtures.PublicKeyRing]));
            }
            catch (SifException)
            {
                // A clear, typed error is the expected outcome for most mutations.
            }
        }
    }

    [Fact]
    public void Open_ForWriteWhileAnotherWriterHoldsIt_ClearError()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        using var first = SifImage.Open(path, writable: true);

        var error = Assert.Throws<SifException>(() => SifImage.Open(path, writable: true));

        Assert.Contains("cannot open", error.Message, StringComparison.Ordinal);
    }

    private static SifFormatException Open(Func<byte[], byte[]> mutate)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.sif");
        File.WriteAllBytes(path, mutate(File.ReadAllBytes(Fixtures.Image("one-group.sif"))));
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<SifFormatException>(() => SifImage.Open(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        return error;
    }

    private static byte[] Set(byte[] bytes, int offset, ReadOnlySpan<byte> value)
    {
        value.CopyTo(bytes.AsSpan(offset));
        return bytes;
    }

    private static byte[] SetInt64(byte[] bytes, int offset, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset), value);
        return bytes;
    }
}
