using System.Diagnostics.CodeAnalysis;

namespace Keyserver.Core.Search;

/// <summary>
/// Classifies search text into a <see cref="KeyQuery"/>: the HKP <c>search</c> variable
/// (draft-shaw-openpgp-hkp-00 §3.1.1, with the forms gpg, sq and apptainer send) and the portal's
/// search box. The one rule set for search text: every entry point calls it.
/// </summary>
public static class KeyQueryParser
{
    /// <summary>Longest search text accepted; real user IDs are far shorter.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// Parses <paramref name="search"/> as received (already URL-decoded).
    /// <c>0x</c> + 8/16/40/64 hex digits in any case is a short key ID, long key ID, v4 or v6
    /// fingerprint; bare hex of those lengths too (apptainer sends lower-case hex without <c>0x</c>),
    /// and a fingerprint may be written in groups separated by spaces. <c>0x</c> + 32 hex (v3) and any
    /// other <c>0x</c> form are errors. An e-mail address, bare or inside <c>&lt;…&gt;</c>, is an exact
    /// address search; other text is a search for all its words, or with <paramref name="exact"/> for
    /// the whole user ID.
    /// </summary>
    /// <param name="search">The search text.</param>
    /// <param name="exact">True for <c>exact=on</c>.</param>
    /// <param name="query">The classified query, when the text is acceptable.</param>
    /// <param name="error">Why the text is refused, otherwise.</param>
    public static bool TryParse(string search, bool exact, [NotNullWhen(true)] out KeyQuery? query, [NotNullWhen(false)] out string? error)
    {
        query = null;
        error = null;
        if (string.IsNullOrWhiteSpace(search))
        {
            error = "the search text is empty";
            return false;
        }

        if (search.Length > MaxLength)
        {
            error = $"the search text is longer than {MaxLength} characters";
            return false;
        }

        if (search.Any(char.IsControl))
        {
            error = "the search text contains control characters";
            return false;
        }

        var text = search.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = text[2..];
            if (hex.Length == 0 || !IsHex(hex))
            {
                error = "a search starting with 0x must be followed by hexadecimal digits only";
                return false;
            }

            if (hex.Length == 32)
            {
                error = "v3 fingerprints are not supported";
                return false;
            }

            query = FromHex(hex);
            if (query is null)
            {
                error = "a key ID or fingerprint must have 8, 16, 40 or 64 hexadecimal digits";
                return false;
            }

            return true;
        }

        var compact = text.Replace(" ", "", StringComparison.Ordinal);
        if (IsHex(compact) && (compact.Length == text.Length ? compact.Length is 8 or 16 or 40 or 64 : compact.Length is 40 or 64))
        {
            query = FromHex(compact)!;
            return true;
        }

        var email = SearchText.Email(text);
        if (email is not null)
        {
            query = new KeyQuery.ByEmail(email);
            return true;
        }

        if (exact)
        {
            query = new KeyQuery.ByUserId(text);
            return true;
        }

        var words = SearchText.Words(text);
        if (words.Count == 0)
        {
            error = "the search text contains no letters or digits";
            return false;
        }

        query = new KeyQuery.ByWords(words);
        return true;
    }

    private static KeyQuery? FromHex(string hex) => hex.Length switch
    {
        8 => new KeyQuery.ByShortKeyId(hex),
        16 => new KeyQuery.ByKeyId(hex),
        40 or 64 => new KeyQuery.ByFingerprint(hex),
        _ => null,
    };

    /// <summary>True when <paramref name="text"/> is exactly <paramref name="length"/> hex digits (a route's key ID or fingerprint).</summary>
    /// <param name="text">Any text.</param>
    /// <param name="length">The number of digits wanted.</param>
    public static bool IsHex([NotNullWhen(true)] string? text, int length) => text is not null && text.Length == length && IsHex(text);

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
