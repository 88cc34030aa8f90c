namespace SifSign.Tests.Integrity;

public class ImageSignerCrashSafetyTests
{
    private static readonly Lazy<TestKey> Key = new(() => TestKeys.Rsa("Crash <crash@example.com>"));

    // SifWriteStep is internal, so the theory passes its numeric value.
    public static TheoryData<int> Steps => [.. Enum.GetValues<SifWriteStep>().Select(s => (int)s)];

    [Theory]
    [MemberData(nameof(Steps))]
    public void Sign_FailureAtStep_ImageByteIdenticalAndStillVerifies(int step)
    {
        var failAt = (SifWriteStep)step;
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups-signed.sif");
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<SifException>(() => SignFailingAt(path, failAt, () => new IOException("disk full")));
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.True(ImageVerifier.Verify(path, new VerifyOptions(), new PgpVerificationKeys([Fixtures.PublicKeyRing])).Verified);
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Sign_CrashAtStep_ImageReadsCleanlyAndEarlierSignaturesVerify(int step)
    {
        var crashAt = (SifWriteStep)step;
        using var dir = new TempDirectory();
        var path = dir.CopyImage("two-groups-signed.sif");

        Assert.Throws<SifSimulatedCrashException>(() => SignFailingAt(path, crashAt, () => new SifSimulatedCrashException()));

        // Whatever the crash left, the image opens and every signature it lists is complete and valid.
        using var reopened = SifImage.Open(path);
        var result = ImageVerifier.Verify(reopened, new VerifyOptions(), new PgpVerificationKeys([Fixtures.PublicKeyRing, Key.Value.Public]));
        Assert.True(result.Verified, result.Error?.ToString());
        Assert.Equal(2, result.Signatures.Count(s => Convert.ToHexString(s.Fingerprint!) == Fixtures.KeyFingerprint));
        if (crashAt is SifWriteStep.DataWritten or SifWriteStep.DataFlushed)
        {
            Assert.True(ImageVerifier.Verify(reopened, new VerifyOptions(), new PgpVerificationKeys([Fixtures.PublicKeyRing])).Verified);
        }
    }

    [Fact]
    public void Sign_CrashAfterData_NextSignOverwritesTheOrphanedBytes()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group-signed.sif");
        var originalLength = new FileInfo(path).Length;
        Assert.Throws<SifSimulatedCrashException>(() => SignFailingAt(path, SifWriteStep.DataFlushed, () => new SifSimulatedCrashException()));

        var added = ImageSigner.Sign(path, Encoder(), new SignOptions());

        Assert.Equal(originalLength, Assert.Single(added).Offset);
        Assert.True(ImageVerifier.Verify(path, new VerifyOptions(), new PgpVerificationKeys([Fixtures.PublicKeyRing, Key.Value.Public])).Verified);
    }

    [Fact]
    public void Sign_ImageLockedByAnotherWriter_ClearErrorAndNoChange()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        var before = File.ReadAllBytes(path);
        using var holder = SifImage.Open(path, writable: true);

        var error = Assert.Throws<SifException>(() => ImageSigner.Sign(path, Encoder(), new SignOptions()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        holder.Dispose();
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Sign_ImageOpenedReadOnly_ClearErrorAndNoChange()
    {
        using var dir = new TempDirectory();
        var path = dir.CopyImage("one-group.sif");
        var before = File.ReadAllBytes(path);
        using var image = SifImage.Open(path);

        Assert.Throws<SifException>(() => ImageSigner.Sign(image, Encoder(), new SignOptions()));

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Sign_PathIsDirectory_ClearError()
    {
        using var dir = new TempDirectory();

        Assert.ThrowsAny<SifException>(() => ImageSigner.Sign(dir.Path, Encoder(), new SignOptions()));
    }

    private static PgpClearSignEncoder Encoder() => new(Key.Value.PrivateKey, Key.Value.PrimaryKey);

    // Signs the image at path through a writer that throws failure() on reaching step.
    private static void SignFailingAt(string path, SifWriteStep step, Func<Exception> failure)
    {
        using var image = SifImage.Open(path, writable: true);
        ImageSigner.Sign(image, Encoder(), new SignOptions(), null, current =>
        {
            if (current == step)
            {
                throw failure();
            }
        });
    }
}
