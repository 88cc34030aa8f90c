using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Keyserver.Core.Verification;

/// <summary>
/// Secret link tokens: 256 random bits in Base64Url (43 characters). Only the SHA-256 hash of a token
/// is ever stored, so a copy of the database cannot be turned into working links.
/// </summary>
public static class VerificationTokens
{
    /// <summary>Random bytes in a token (256 bits, as Hagrid's verification tokens).</summary>
    public const int TokenBytes = 32;

    /// <summary>Length of a token in characters.</summary>
    public const int TokenLength = 43;

    /// <summary>A new random token.</summary>
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>True when <paramref name="token"/> has the shape of a token this server issues.</summary>
    /// <param name="token">Text from a link or a request; may be anything.</param>
    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && Base64Url.IsValid(token.AsSpan(), out var length) && length == TokenBytes;

    /// <summary>The stored form of <paramref name="token"/>: SHA-256 of its characters, upper-case hex.</summary>
    /// <param name="token">A token.</param>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
