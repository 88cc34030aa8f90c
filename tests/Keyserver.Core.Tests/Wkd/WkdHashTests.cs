using Keyserver.Core.Wkd;

namespace Keyserver.Core.Tests.Wkd;

/// <summary>The hash of draft-koch-openpgp-webkey-service-22 §3.1, against the vectors gpg-wks-client and sq print.</summary>
public sealed class WkdHashTests
{
    [Theory]
    [InlineData("Joe.Doe", "iy9q119eutrkn8s1mk4r39qejnbu3n5q")] // the draft's own example
    [InlineData("test1", "stnkabub89rpcphiz4ppbxixkwyt1pic")]
    [InlineData("alice", "kei1q4tipxxu1yj79k9kfukdhfy631xe")]
    [InlineData("joe", "n4w4kuq9ejc3kmthngg8ccja7y5j8i97")]
    [InlineData("Jörg", "h8ghzysw1a49fnopr45hii67zzgshjt8")]
    [InlineData("JÖRG", "w77p6y3jz34qfi4fgwkgaw3oeumka146")] // gpg: only ASCII capitals are lowered (jÖrg)
    public void Of_Vectors(string localPart, string expected) => Assert.Equal(expected, WkdHash.Of(localPart));

    [Fact]
    public void Variants_NonAsciiCapitals_BothGpgAndSqHash()
    {
        // sq 0.27 lowers with Unicode rules (jörg): a different hash for the same address.
        Assert.Equal(["w77p6y3jz34qfi4fgwkgaw3oeumka146", "h8ghzysw1a49fnopr45hii67zzgshjt8"], WkdHash.Variants("JÖRG"));
        Assert.Equal(["iy9q119eutrkn8s1mk4r39qejnbu3n5q"], WkdHash.Variants("Joe.Doe"));
        Assert.Equal(["h8ghzysw1a49fnopr45hii67zzgshjt8"], WkdHash.Variants("jörg"));
    }

    [Theory]
    [InlineData(new byte[0], "")]
    [InlineData(new byte[] { 0x00 }, "yy")]
    [InlineData(new byte[] { 0xF0, 0xBF, 0xC7 }, "6n9hq")] // RFC 6189 §5.1.6: most significant bit first, the last group padded with zero bits
    public void ZBase32_BitLayout(byte[] data, string expected) => Assert.Equal(expected, WkdHash.ZBase32(data));

    [Fact]
    public void ZBase32_AlwaysThirtyTwoCharactersForSha1()
    {
        Assert.Equal(WkdHash.Length, WkdHash.ZBase32(new byte[20]).Length);
        Assert.Equal(WkdHash.Length, WkdHash.Of(new string('x', 10_000)).Length);
        Assert.Equal(WkdHash.Length, WkdHash.Of("").Length);
    }

    [Theory]
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n5q", true)]
    [InlineData("IY9Q119EUTRKN8S1MK4R39QEJNBU3N5Q", false)] // the alphabet is lower case
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n5", false)] // 31
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n5qq", false)] // 33
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3n50", false)] // 0 is not in the alphabet
    [InlineData("iy9q119eutrkn8s1mk4r39qejnbu3nl2", false)] // nor l, v, 2
    [InlineData("../../../../../../../../etc/pass", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsWellFormed(string? hash, bool expected) => Assert.Equal(expected, WkdHash.IsWellFormed(hash));

    [Fact]
    public void Of_HashesUtf8OfLocalPart()
    {
        // The same bytes as hashing the UTF-8 encoding directly.
        var bytes = System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("jörg"));
        Assert.Equal(WkdHash.ZBase32(bytes), WkdHash.Of("jörg"));
    }
}
