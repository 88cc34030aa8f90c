using Microsoft.Extensions.Time.Testing;
using SifSign.Integrity;
using SifSign.Keys;

namespace Interop.Tests.Sif;

/// <summary>
/// Key expiry, signature expiry and revocation decided at verify time, by sifsign and by the reference
/// library (sylabs/sif pkg/integrity over go-crypto's CheckDetachedSignatureAndHash) on the same image
/// and key: both pass, or both fail with the same cause. Keys are made in 2020; images are signed by
/// the reference (at a chosen time) or by sifsign's signer (with a signature lifetime, which the
/// reference signer cannot set).
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class ExpiryDecisionTests
{
    private static readonly DateTime Created = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime FarFuture = new(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Scenario, sifsign's cause and the reference's (null: both verify). Only the revocation is worded
    /// differently: sifsign says "key revoked", as issue 10 asks.</summary>
    public static TheoryData<string, string?, string?> Cases() => new()
    {
        { "key expired since signing", "openpgp: key expired", "openpgp: key expired" },
        { "key expires in the future", null, null },
        { "key expired, then extended", null, null },
        { "signature expired", "openpgp: signature expired", "openpgp: signature expired" },
        { "signature valid for a century", null, null },
        { "signature made in the future", "openpgp: signature expired", "openpgp: signature expired" },
        { "key revoked", "openpgp: key revoked", "openpgp: signature made by revoked key" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verdict_SameAsReference(string scenario, string? expectedError, string? referenceError)
    {
        using var sifsign = new SifSignProcess();
        var secret = KeyRings.NewSigningKey("Expiry <expiry@example.org>", Created);
        var signer = secret.GetSecretKey();
        var publicKey = Keyring.PublicPart(secret);
        var image = sifsign.CopyImage(SifReference.Image("one-group.sif"));
        var secretPath = Write(sifsign, "secret.asc", KeyFile.Encode([secret], armor: true));
        switch (scenario)
        {
            case "key expired since signing":
                publicKey = KeyUpdates.SetExpiry(publicKey, signer, Created.AddDays(1), Created.AddMinutes(1));
                SignWithReference(secretPath, image, Created.AddHours(1));
                break;
            case "key expires in the future":
                publicKey = KeyUpdates.SetExpiry(publicKey, signer, FarFuture, Created.AddMinutes(1));
                SignWithReference(secretPath, image, Created.AddHours(1));
                break;
            case "key expired, then extended":
                publicKey = KeyUpdates.SetExpiry(publicKey, signer, Created.AddDays(1), Created.AddMinutes(1));
                publicKey = KeyUpdates.SetExpiry(publicKey, signer, FarFuture, Created.AddDays(2));
                SignWithReference(secretPath, image, Created.AddHours(1));
                break;
            case "signature expired":
                SignWithSifSign(secret, image, Created.AddHours(1), TimeSpan.FromDays(1));
                break;
            case "signature valid for a century":
                SignWithSifSign(secret, image, Created.AddHours(1), TimeSpan.FromDays(36500));
                break;
            case "signature made in the future":
                SignWithReference(secretPath, image, FarFuture);
                break;
            case "key revoked":
                publicKey = KeyUpdates.Revoke(publicKey, signer);
                SignWithReference(secretPath, image, Created.AddHours(1));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such scenario");
        }

        var publicPath = Write(sifsign, "public.asc", KeyFile.Encode([publicKey], armor: true));
        sifsign.Run("key", "import", publicPath).EnsureSuccess();

        var ours = sifsign.Run("verify", "--local", image);
        var reference = SifReference.Run("verify", "-key", publicPath, image);

        if (expectedError is null || referenceError is null)
        {
            Assert.Null(expectedError);
            Assert.Null(referenceError);
            reference.EnsureSuccess();
            ours.EnsureSuccess();
        }
        else
        {
            Assert.True(reference.ExitCode != 0 && reference.StandardError.Contains("signature object 3 not valid: " + referenceError, StringComparison.Ordinal), reference.ToString());
            Assert.Equal(255, ours.ExitCode);
            Assert.Contains("FATAL:   Failed to verify container: integrity: signature object 3 not valid: " + expectedError, ours.StandardError, StringComparison.Ordinal);
        }
    }

    private static void SignWithReference(string secretPath, string image, DateTime at) =>
        SifReference.Run("sign", "-key", secretPath, "-time", new DateTimeOffset(at).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), image)
            .EnsureSuccess();

    private static void SignWithSifSign(PgpSecretKeyRing secret, string image, DateTime at, TimeSpan lifetime)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(at));
        var encoder = new PgpClearSignEncoder(secret.GetSecretKey().ExtractPrivateKey([]), secret.GetPublicKey(), clock) { SignatureLifetime = lifetime };
        ImageSigner.Sign(image, encoder, new SignOptions(Time: clock));
    }

    private static string Write(SifSignProcess sifsign, string name, byte[] content)
    {
        var path = Path.Combine(sifsign.Home, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
