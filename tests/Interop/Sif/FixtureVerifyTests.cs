namespace Interop.Tests.Sif;

/// <summary>sifsign verifies the reference's signed images, and catches tampering as the reference does.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class FixtureVerifyTests
{
    [Theory]
    [InlineData("one-group-signed.sif")]
    [InlineData("two-groups-signed.sif")]
    public void Verify_PgpSignedReferenceImage_Succeeds(string image)
    {
        using var sifsign = new SifSignProcess();
        sifsign.Run("key", "import", SifReference.PrivateKey).EnsureSuccess();

        var result = sifsign.Run("verify", "--local", SifReference.Image(image)).EnsureSuccess();

        Assert.Contains($"[LOCAL]            Fingerprint: {SifReference.KeyFingerprint}\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("INFO:    Verified signature(s) from image", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("one-group-signed-legacy.sif")]
    [InlineData("two-groups-signed-legacy.sif")]
    [InlineData("one-group-signed-legacy-all.sif", "--all")]
    [InlineData("two-groups-signed-legacy-all.sif")]
    [InlineData("one-group-signed-legacy-group.sif", "--group-id", "1")]
    [InlineData("two-groups-signed-legacy-group.sif", "--group-id", "1")]
    public void Verify_LegacyImageWithLegacyInsecure_Succeeds(string image, params string[] flags)
    {
        using var sifsign = new SifSignProcess();
        sifsign.Run("key", "import", SifReference.PrivateKey).EnsureSuccess();

        sifsign.Run(["verify", "--local", "--legacy-insecure", .. flags, SifReference.Image(image)]).EnsureSuccess();
        var plain = sifsign.Run("verify", "--local", SifReference.Image(image));

        Assert.Equal(255, plain.ExitCode);
        Assert.Contains("FATAL:   Failed to verify container: integrity: signature not found for object group 1", plain.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LegacyAllOnImageWithUnsignedGroup_FailsLikeReference()
    {
        using var sifsign = new SifSignProcess();
        sifsign.Run("key", "import", SifReference.PrivateKey).EnsureSuccess();
        var image = SifReference.Image("two-groups-signed-legacy-all.sif");

        var ours = sifsign.Run("verify", "--local", "--legacy-insecure", "--all", image);
        var reference = SifReference.Run("verify", "-key", SifReference.PrivateKey, "-legacy-all", image);

        SifReference.AssertBothFail(ours, reference, "integrity: signature not found for object 3");
    }

    [Fact]
    public void Verify_UnknownSigner_FailsAsUnknownEntity()
    {
        using var sifsign = new SifSignProcess();

        var result = sifsign.Run("verify", "--local", SifReference.Image("one-group-signed.sif"));

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("not valid", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Verify_TamperedObjectData_BothImplementationsNameTheSameObject(int objectId)
    {
        using var sifsign = new SifSignProcess();
        sifsign.Run("key", "import", SifReference.PrivateKey).EnsureSuccess();
        var image = sifsign.CopyImage(SifReference.Image("one-group-signed.sif"));
        // Objects 1 and 2 of one-group-signed.sif start at 32768 and 36864 (spec §1.6 worked check).
        FlipByte(image, objectId == 1 ? 32768 : 36864 + 100);
        var before = File.ReadAllBytes(image);

        var ours = sifsign.Run("verify", "--local", image);
        var reference = SifReference.Run("verify", "-key", SifReference.PrivateKey, image);

        var expected = $"integrity: data object integrity compromised: {objectId}";
        Assert.Equal(255, ours.ExitCode);
        Assert.Contains($"FATAL:   Failed to verify container: {expected}", ours.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, reference.ExitCode);
        Assert.Contains(expected, reference.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void Verify_TamperedDescriptor_BothImplementationsNameTheSameObject()
    {
        using var sifsign = new SifSignProcess();
        sifsign.Run("key", "import", SifReference.PrivateKey).EnsureSuccess();
        var image = sifsign.CopyImage(SifReference.Image("one-group-signed.sif"));
        // Descriptor 2 (slot 1) starts at 4096 + 585; its name field is at +73 (spec §1.2).
        FlipByte(image, 4096 + 585 + 73);

        var ours = sifsign.Run("verify", "--local", image);
        var reference = SifReference.Run("verify", "-key", SifReference.PrivateKey, image);

        const string Expected = "integrity: data object descriptor integrity compromised: 2";
        Assert.Contains(Expected, ours.StandardError, StringComparison.Ordinal);
        Assert.Contains(Expected, reference.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Json_ReportsEveryObjectWithLowerCaseFingerprint()
    {
        using var sifsign = new SifSignProcess();
        sifsign.Run("key", "import", SifReference.PrivateKey).EnsureSuccess();

        var result = sifsign.Run("verify", "--local", "--json", SifReference.Image("one-group-signed.sif")).EnsureSuccess();

        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(1, json.RootElement.GetProperty("Signatures").GetInt32());
        var signers = json.RootElement.GetProperty("SignerKeys").EnumerateArray().Select(e => e.GetProperty("Signer")).ToList();
        Assert.Equal(2, signers.Count);
        Assert.All(signers, s => Assert.Equal(SifReference.KeyFingerprint.ToLowerInvariant(), s.GetProperty("Fingerprint").GetString()));
        Assert.Contains("\"Name\": \"Unit Test \\u003cunit@test.com\\u003e\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NotASifFile_FailsWithoutTouchingIt()
    {
        using var sifsign = new SifSignProcess();
        var path = Path.Combine(sifsign.Home, "not.sif");
        File.WriteAllText(path, "hello");

        var result = sifsign.Run("verify", "--local", path);

        Assert.Equal(255, result.ExitCode);
        Assert.StartsWith("INFO:    Verifying image with PGP key material\nFATAL:   ", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("hello", File.ReadAllText(path));
    }

    private static void FlipByte(string path, long offset)
    {
        using var stream = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0xFF));
    }
}
