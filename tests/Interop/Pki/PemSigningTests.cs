namespace Interop.Tests.Pki;

/// <summary>
/// <c>sign --key</c> / <c>verify --key</c> / <c>key newpem</c> through the real CLI, every signature also
/// checked by openssl over the DSSE PAE rebuilt here from the envelope (sif.md §3.1–§3.3).
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class PemSigningTests
{
    [Theory]
    [MemberData(nameof(PemKinds))]
    public void SignWithOpenSslKey_VerifiesWithCliAndOpenSsl(PemKind kind)
    {
        using var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        var key = openssl.NewKey("signer.pem", kind);
        if (kind == PemKind.EcP256EncryptedPkcs8)
        {
            sifsign.Environment["COSIGN_PASSWORD"] = OpenSsl.EncryptedPassphrase;
        }

        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));

        var sign = sifsign.Run("sign", "--key", key, image).EnsureSuccess();
        var verify = sifsign.Run("verify", "--key", key + ".pub", image).EnsureSuccess();

        Assert.Contains($"INFO:    Signing image with key material from '{key}'", sign.StandardError, StringComparison.Ordinal);
        Assert.Contains($"INFO:    Verifying image with key material from '{key}.pub'", verify.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Signing entity", verify.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1   |1       |NONE    |FS\n2   |1       |NONE    |FS\n", verify.StandardOutput, StringComparison.Ordinal);
        AssertOpenSslAccepts(sifsign, openssl, image, key + ".pub", kind == PemKind.Ed25519Pkcs8);
    }

    public static TheoryData<PemKind> PemKinds => new(Enum.GetValues<PemKind>());

    [Fact]
    public void EncryptedKeyWithWrongPassword_FailsAndLeavesImageUnchanged()
    {
        using var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        var key = openssl.NewKey("signer.pem", PemKind.EcP256EncryptedPkcs8);
        sifsign.Environment["COSIGN_PASSWORD"] = "wrong";
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        var before = File.ReadAllBytes(image);

        var sign = sifsign.Run("sign", "--key", key, image);

        Assert.Equal(255, sign.ExitCode);
        Assert.Contains("FATAL:   Failed to sign container: cannot load private key", sign.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void VerifyWithAnotherKey_Fails()
    {
        using var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        var key = openssl.NewKey("signer.pem", PemKind.Ed25519Pkcs8);
        var other = openssl.NewKey("other.pem", PemKind.Ed25519Pkcs8);
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        sifsign.Run("sign", "--key", key, image).EnsureSuccess();

        var verify = sifsign.Run("verify", "--key", other + ".pub", image);

        Assert.Equal(255, verify.ExitCode);
        Assert.Contains("FATAL:   Failed to verify container:", verify.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeyNewPemAlgorithms))]
    public void KeyNewPem_WritesKeysOpenSslReadsAndSignatureOpenSslAccepts(string algorithm, string openSslSays)
    {
        using var sifsign = new SifSignProcess();
        var openssl = new OpenSsl(sifsign.Home);
        var key = openssl.PathOf("new.pem");

        sifsign.Run("key", "newpem", "--algorithm", algorithm, key).EnsureSuccess();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Contains(openSslSays, openssl.Run("pkey", "-in", key, "-noout", "-text").EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        Assert.Contains(
            openSslSays.Replace("Private-Key", "Public-Key", StringComparison.Ordinal),
            openssl.Run("pkey", "-pubin", "-in", key + ".pub", "-noout", "-text").EnsureSuccess().StandardOutput,
            StringComparison.Ordinal);
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        sifsign.Run("sign", "--key", key, image).EnsureSuccess();
        sifsign.Run("verify", "--key", key + ".pub", image).EnsureSuccess();
        AssertOpenSslAccepts(sifsign, openssl, image, key + ".pub", algorithm == "ed25519");
    }

    public static TheoryData<string, string> KeyNewPemAlgorithms => new()
    {
        { "ed25519", "ED25519 Private-Key" },
        { "rsa", "Private-Key: (3072 bit" },
        { "ecdsa-p256", "NIST CURVE: P-256" },
        { "ecdsa-p384", "NIST CURVE: P-384" },
        { "ecdsa-p521", "NIST CURVE: P-521" },
    };

    [Fact]
    public void KeyNewPem_ExistingFile_RefusesAndKeepsIt()
    {
        using var sifsign = new SifSignProcess();
        var key = Path.Combine(sifsign.Home, "new.pem");
        File.WriteAllText(key, "keep me");

        var result = sifsign.Run("key", "newpem", key);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(key));
    }

    /// <summary>
    /// Dumps the signature object (ID 3: one-group.sif holds objects 1 and 2), rebuilds the PAE from the
    /// envelope by hand and lets openssl check every signature in it.
    /// </summary>
    internal static void AssertOpenSslAccepts(SifSignProcess sifsign, OpenSsl openssl, string image, string publicKey, bool ed25519)
    {
        var dump = sifsign.Run("sif", "dump", "3", image).EnsureSuccess().StandardOutput;
        using var envelope = JsonDocument.Parse(dump);
        var payloadType = envelope.RootElement.GetProperty("payloadType").GetString()!;
        var payload = Convert.FromBase64String(envelope.RootElement.GetProperty("payload").GetString()!);
        Assert.Equal("application/vnd.sylabs.sif-metadata+json", payloadType);
        var pae = Encoding.ASCII.GetBytes($"DSSEv1 {Encoding.UTF8.GetByteCount(payloadType)} {payloadType} {payload.Length} ").Concat(payload).ToArray();
        var signatures = envelope.RootElement.GetProperty("signatures").EnumerateArray().ToList();
        Assert.Single(signatures);
        foreach (var signature in signatures)
        {
            var result = openssl.VerifySignature(publicKey, pae, Convert.FromBase64String(signature.GetProperty("sig").GetString()!), ed25519);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }
}
