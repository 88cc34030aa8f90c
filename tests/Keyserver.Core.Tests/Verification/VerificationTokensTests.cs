using System.Buffers.Text;
using System.Security.Cryptography;

namespace Keyserver.Core.Tests.Verification;

public sealed class VerificationTokensTests
{
    [Fact]
    public void Generate_Always_256BitsInBase64Url()
    {
        var token = VerificationTokens.Generate();

        Assert.Equal(43, token.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(token).Length);
        Assert.True(VerificationTokens.IsWellFormed(token));
    }

    [Fact]
    public void Generate_ManyTimes_NeverRepeats()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => VerificationTokens.Generate()).ToHashSet();

        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void Hash_Token_IsSha256AndNotTheToken()
    {
        var token = VerificationTokens.Generate();

        var hash = VerificationTokens.Hash(token);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), hash);
        Assert.DoesNotContain(token, hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // standard Base64 alphabet
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%2")]
    [InlineData("<script>alert(1)</script>AAAAAAAAAAAAAAAAAA")]
    public void IsWellFormed_Garbage_False(string? token)
    {
        Assert.False(VerificationTokens.IsWellFormed(token));
    }
}
