namespace Keyserver.Core.Tests.Keys;

public sealed class KeyArmorTests
{
    [Fact]
    public void Armor_TwoKeys_ReadBackByBouncyCastle()
    {
        var eve = TestVectors.Binary("ed25519-eve.asc");
        var alice = TestVectors.Read("rsa-alice.pgp");

        var armored = KeyArmor.Armor([eve, alice]);

        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(armored));
        var bundle = new PgpPublicKeyRingBundle(input);
        Assert.Equal(2, bundle.Count);
        var fingerprints = bundle.GetKeyRings().Select(r => Convert.ToHexString(r.GetPublicKey().GetFingerprint())).ToList();
        Assert.Equal([TestVectors.EveFingerprint, TestVectors.AliceFingerprint], fingerprints);
    }

    [Fact]
    public void Armor_Shape_OneBlockNoVersionHeaderTrailingNewline()
    {
        var text = Encoding.ASCII.GetString(KeyArmor.Armor([TestVectors.Read("rsa-alice.pgp")]));

        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n-----END PGP PUBLIC KEY BLOCK-----\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Version:", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("-----BEGIN", StringComparison.Ordinal));
        Assert.All(text.Split('\n'), l => Assert.True(l.Length <= 64 || l.StartsWith("-----", StringComparison.Ordinal)));
    }

    [Fact]
    public void Armor_Nothing_EmptyBlock()
    {
        var text = Encoding.ASCII.GetString(KeyArmor.Armor([]));

        Assert.Equal("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n=twTO\n-----END PGP PUBLIC KEY BLOCK-----\n", text);
    }
}
