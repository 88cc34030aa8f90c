using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SifSign.Keys;

/// <summary>How keys are named to users: fingerprints, key IDs and user IDs.</summary>
public static class KeyIdentity
{
    /// <summary>The upper-case hex fingerprint of a key (40 characters for v4).</summary>
    public static string Fingerprint(PgpPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexString(key.GetFingerprint());
    }

    /// <summary>
    /// The identity shown for a key: the user ID flagged primary, else the first one, else empty.
    /// </summary>
    public static string PrimaryUserId(PgpPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? first = null;
        foreach (var userId in key.GetUserIds())
        {
            first ??= userId;
            foreach (var signature in key.GetSignaturesForId(userId))
            {
                if (signature.HasSubpackets && signature.GetHashedSubPackets().IsPrimaryUserId())
                {
                    return userId;
                }
            }
        }

        return first ?? string.Empty;
    }

    /// <summary>
    /// Normalises a fingerprint or key ID typed by a user: strips an optional <c>0x</c> and
    /// spaces, upper-cases; returns null unless the rest is 8, 16 or 40 hex digits.
    /// </summary>
    public static string? NormalizeKeyHandle(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        if (value.Length is not (8 or 16 or 40) || !value.All(Uri.IsHexDigit))
        {
            return null;
        }

        return value.ToUpperInvariant();
    }

    /// <summary>True when <paramref name="handle"/> (normalised) names <paramref name="key"/>'s fingerprint or key ID.</summary>
    public static bool Matches(PgpPublicKey key, string handle)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(handle);
        return Fingerprint(key).EndsWith(handle, StringComparison.Ordinal) && handle.Length is 8 or 16 or 40;
    }

    /// <summary>Splits an RFC 2822 style user ID into name, comment and e-mail, as Apptainer lists them.</summary>
    public static (string Name, string Comment, string Email) ParseUserId(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var rest = userId.Trim();
        var email = string.Empty;
        var comment = string.Empty;
        var open = rest.LastIndexOf('<');
        if (open >= 0 && rest.EndsWith('>'))
        {
            email = rest[(open + 1)..^1];
            rest = rest[..open].TrimEnd();
        }

        var paren = rest.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0 && rest.EndsWith(')'))
        {
            comment = rest[(paren + 1)..^1];
            rest = rest[..paren].TrimEnd();
        }

        return (rest, comment, email);
    }
}
