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
    /// spaces, upper-cases; returns null unless the rest is 8 or 16 hex digits (short or long key ID),
    /// 40 (v4 fingerprint) or 64 (v6 fingerprint, RFC 9580 §5.5.4.3).
    /// </summary>
    public static string? NormalizeKeyHandle(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        if (value.Length is not (8 or 16 or 40 or 64) || !value.All(Uri.IsHexDigit))
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
        var fingerprint = Fingerprint(key);

        // A v4 key ID is the low 64 bits of the fingerprint (RFC 4880 §12.2), a v6 key ID its high
        // 64 bits (RFC 9580 §5.5.4.3); a short key ID is the low 32 bits of the key ID.
        return (handle.Length, fingerprint.Length) switch
        {
            (40 or 64, _) => fingerprint == handle,
            (16, 64) => fingerprint.StartsWith(handle, StringComparison.Ordinal),
            (8, 64) => fingerprint.AsSpan(8, 8).SequenceEqual(handle),
            (16 or 8, _) => fingerprint.EndsWith(handle, StringComparison.Ordinal),
            _ => false,
        };
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
