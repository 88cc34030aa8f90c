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

    /// <summary>
    /// Mails a link: a new token, stored as its hash for <paramref name="purpose"/>, and the mail that
    /// carries it to <paramref name="address"/>, both valid until <paramref name="expires"/>.
    /// </summary>
    internal static async Task MailLinkAsync(
        IVerificationStore store, IMailOutbox outbox, TokenPurpose purpose, MailKind kind, string address, string? fingerprint, string? userId,
        DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var token = Generate();
        await store.AddTokenAsync(new StoredToken(Hash(token), purpose, fingerprint, address, now, expires, null), cancellationToken)
            .ConfigureAwait(false);
        await outbox.EnqueueAsync(new MailRequest(kind, address, fingerprint, userId, token, expires), now, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// What the link token <paramref name="token"/> (any text) is worth for <paramref name="purpose"/>
    /// at <paramref name="now"/>: unknown (malformed, not stored, or another purpose), used, expired or
    /// valid, with the stored token whenever one of that purpose exists.
    /// </summary>
    public static async Task<(TokenState State, StoredToken? Token)> ResolveAsync(
        IVerificationStore store, string? token, TokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!IsWellFormed(token))
        {
            return (TokenState.Unknown, null);
        }

        var stored = await store.FindTokenAsync(Hash(token!), cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Purpose != purpose)
        {
            return (TokenState.Unknown, null);
        }

        var state = stored.Used is not null ? TokenState.Used : stored.Expires <= now ? TokenState.Expired : TokenState.Valid;
        return (state, stored);
    }
}
