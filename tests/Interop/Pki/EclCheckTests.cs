namespace Interop.Tests.Pki;

/// <summary>
/// <c>ecl check</c> through the real CLI (sif.md §6): images signed with real PGP keys, an ecl.toml and a
/// keyring file in a temp directory, each mode allowing and prohibiting.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class EclCheckTests
{
    public enum Signers
    {
        A,
        B,
        AAndB,
    }

    [Theory]
    [InlineData("whitelist", "A", Signers.A, true)]
    [InlineData("whitelist", "A", Signers.AAndB, true)]
    [InlineData("whitelist", "A", Signers.B, false)]
    [InlineData("whitestrict", "A,B", Signers.AAndB, true)]
    [InlineData("whitestrict", "A,B", Signers.A, false)]
    [InlineData("blacklist", "B", Signers.A, true)]
    [InlineData("blacklist", "B", Signers.AAndB, false)]
    [InlineData("blacklist", "B", Signers.B, false)]
    public void Check_ModeAndSigners_DecidesAsApptainer(string mode, string listed, Signers signers, bool allowed)
    {
        using var sifsign = new SifSignProcess();
        var fingerprints = new Dictionary<string, string>
        {
            ["A"] = sifsign.NewKey("ed25519", "ECL A"),
            ["B"] = sifsign.NewKey("ed25519", "ECL B"),
        };
        var image = sifsign.CopyImage(SifReference.Image("two-groups.sif"));
        if (signers is Signers.A or Signers.AAndB)
        {
            sifsign.Run("sign", "--keyidx", "0", image).EnsureSuccess();
        }

        if (signers is Signers.B or Signers.AAndB)
        {
            sifsign.Run("sign", "--keyidx", "1", image).EnsureSuccess();
        }

        var keyring = Path.Combine(sifsign.Home, "global-pgp-public");
        File.Copy(Path.Combine(sifsign.KeysDir, "pgp-public"), keyring);
        var keyfp = string.Join(", ", listed.Split(',').Select(name => $"'{fingerprints[name]}'"));
        var config = WriteConfig(sifsign, $"[[execgroup]]\ntagname = 'test'\nmode = '{mode}'\ndirpath = '{Path.GetDirectoryName(image)}'\nkeyfp = [{keyfp}]\n");
        var before = File.ReadAllBytes(image);

        var result = sifsign.Run("ecl", "check", "--config", config, "--keyring", keyring, image);

        Assert.True(result.ExitCode == (allowed ? 0 : 3), result.ToString());
        Assert.StartsWith(allowed ? "allowed: " : "prohibited: image prohibited by ECL", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("execgroup test", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void Check_SignerUnknownToKeyring_WhitelistProhibits()
    {
        using var sifsign = new SifSignProcess();
        var fingerprint = sifsign.NewKey("ed25519", "ECL A");
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        sifsign.Run("sign", image).EnsureSuccess();
        var emptyKeyring = Path.Combine(sifsign.Home, "missing-keyring");
        var config = WriteConfig(sifsign, $"[[execgroup]]\ntagname = 'fallback'\nmode = 'whitelist'\ndirpath = ''\nkeyfp = ['{fingerprint}']\n");
        File.WriteAllBytes(emptyKeyring, []);

        var result = sifsign.Run("ecl", "check", "--config", config, "--keyring", emptyKeyring, image);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("image not signed by required entities", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InvalidConfig_ReportsFirstErrorAndExits255()
    {
        using var sifsign = new SifSignProcess();
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        var config = WriteConfig(sifsign, "[[execgroup]]\ntagname = 'bad'\nmode = 'greylist'\ndirpath = ''\nkeyfp = ['00']\n");

        var result = sifsign.Run("ecl", "check", "--config", config, image);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains($"FATAL:   invalid ECL configuration {config}:", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    private static string WriteConfig(SifSignProcess sifsign, string groups)
    {
        var path = Path.Combine(sifsign.Home, "ecl.toml");
        File.WriteAllText(path, "activated = true\nlegacyinsecure = false\n\n" + groups);
        return path;
    }
}
