namespace Interop.Tests.Sif;

/// <summary>
/// Signatures cross both ways between sifsign and the reference library (Go helper), for every
/// signing mode and both key kinds; tampering is caught by both with the same object ID.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class ReferenceInteropTests
{
    public static TheoryData<string, string[]> Modes() => new()
    {
        { "rsa", [] },
        { "rsa", ["--group-id", "2"] },
        { "rsa", ["--sif-id", "1"] },
        { "ed25519", [] },
        { "ed25519", ["--group-id", "2"] },
        { "ed25519", ["--sif-id", "1"] },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void SignedBySifSign_VerifiesWithReference(string algorithm, string[] mode)
    {
        using var sifsign = new SifSignProcess();
        var (_, publicKey, image) = KeyAndImage(sifsign, algorithm, $"Sifsign {algorithm}");

        sifsign.Run(["sign", .. mode, image]).EnsureSuccess();

        SifReference.Run(["verify", "-key", publicKey, .. GoFlags(mode), image]).EnsureSuccess();
        sifsign.Run(["verify", "--local", .. mode, image]).EnsureSuccess();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void SignedByReference_VerifiesWithSifSign(string algorithm, string[] mode)
    {
        using var sifsign = new SifSignProcess();
        var (fingerprint, secretKey, image) = KeyAndImage(sifsign, algorithm, $"Reference {algorithm}", secret: true);

        SifReference.Run(["sign", "-key", secretKey, .. GoFlags(mode), image]).EnsureSuccess();

        var result = sifsign.Run(["verify", "--local", .. mode, image]).EnsureSuccess();
        Assert.Contains($"Fingerprint: {fingerprint}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public void TamperedAfterSigning_BothRejectWithSameObjectId(string algorithm)
    {
        using var sifsign = new SifSignProcess();
        var (_, publicKey, image) = KeyAndImage(sifsign, algorithm, $"Tamper {algorithm}");
        sifsign.Run("sign", image).EnsureSuccess();
        // Object 3 (group 2, ext3) starts at 40960 in two-groups.sif.
        using (var stream = File.Open(image, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 40960 + 1024;
            var value = stream.ReadByte();
            stream.Position = 40960 + 1024;
            stream.WriteByte((byte)(value ^ 0x01));
        }

        var ours = sifsign.Run("verify", "--local", image);
        var reference = SifReference.Run("verify", "-key", publicKey, image);

        SifReference.AssertBothFail(ours, reference, "integrity: data object integrity compromised: 3");
    }

    [Fact]
    public void SignedWithSifId_PlainVerifyFailsInBoth()
    {
        using var sifsign = new SifSignProcess();
        var (_, publicKey, image) = KeyAndImage(sifsign, "ed25519", "Subset");
        sifsign.Run("sign", "--sif-id", "1", image).EnsureSuccess();

        var ours = sifsign.Run("verify", "--local", image);
        var reference = SifReference.Run("verify", "-key", publicKey, image);

        Assert.Equal(255, ours.ExitCode);
        Assert.NotEqual(0, reference.ExitCode);
        Assert.Contains("integrity: object 2: object not signed", ours.StandardError, StringComparison.Ordinal);
        Assert.Contains("object 2: object not signed", reference.StandardError, StringComparison.Ordinal);
    }

    // A new key in sifsign's keyring, exported to a file for the reference, and a fresh copy of two-groups.sif.
    private static (string Fingerprint, string KeyFile, string Image) KeyAndImage(SifSignProcess sifsign, string algorithm, string userName, bool secret = false)
    {
        var fingerprint = sifsign.NewKey(algorithm, userName);
        return (fingerprint, sifsign.Export(fingerprint, secret), sifsign.CopyImage(SifReference.Image("two-groups.sif")));
    }

    private static string[] GoFlags(string[] mode) => [.. mode.Select(flag => flag.StartsWith("--", StringComparison.Ordinal) ? flag[1..] : flag)];
}
