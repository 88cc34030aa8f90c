using System.Text;

namespace Keyserver.Core.Search;

/// <summary>
/// How user IDs and search text are cut into lookup terms. Used both when a key is stored and when a
/// search is parsed, so the two always agree.
/// </summary>
public static class SearchText
{
    /// <summary>
    /// The e-mail address of a user ID, lower-cased: the text inside the last <c>&lt;…&gt;</c>, or the
    /// whole user ID when it is a bare address. Null when there is no plausible address.
    /// </summary>
    /// <param name="userId">A user ID or search text.</param>
    public static string? Email(string userId) => Address(userId)?.ToLowerInvariant();

    /// <summary>
    /// The e-mail address of a user ID as its owner wrote it (case kept), by the same rule as
    /// <see cref="Email"/>; null when there is no plausible address. WKD hashes need the original case.
    /// </summary>
    /// <param name="userId">A user ID.</param>
    public static string? Address(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var text = userId.AsSpan().Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0)
        {
            var close = text[open..].IndexOf('>');
            if (close < 0)
            {
                return null;
            }

            text = text.Slice(open + 1, close - 1).Trim();
        }

        return IsAddress(text) ? text.ToString() : null;
    }

    /// <summary>Longest address accepted from a request (RFC 5321 §4.5.3.1: 64 + 1 + 255).</summary>
    public const int MaxAddressLength = 320;

    /// <summary>
    /// The normalised form of an address a person typed (a form field, a VKS route), or null when
    /// the whole text is not one address: the same test as <see cref="Email"/>, without angle brackets.
    /// </summary>
    /// <param name="address">Any text.</param>
    public static string? NormaliseAddress(string? address) =>
        string.IsNullOrWhiteSpace(address) || address.Length > MaxAddressLength || address.Contains('<', StringComparison.Ordinal)
            ? null
            : Email(address);

    /// <summary>
    /// The distinct lower-case words of <paramref name="text"/>, split at every character that is not
    /// a letter or digit ("Alice &lt;alice@example.org&gt;" gives alice, example, org), in first-seen order.
    /// </summary>
    /// <param name="text">A user ID or search text.</param>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                current.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            Flush();
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length == 0)
            {
                return;
            }

            var word = current.ToString();
            current.Clear();
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }
    }

    /// <summary>
    /// True when the name part of <paramref name="userId"/> (everything but its address) holds
    /// another address-like text, as in <c>bank@example.com &lt;thief@example.org&gt;</c>: a mail
    /// to such an identity would lend the other address our credibility, so it is never sent.
    /// </summary>
    /// <param name="userId">The user ID.</param>
    /// <param name="address">Its normalised address.</param>
    public static bool HasForeignAddress(string userId, string address)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(address);
        var open = userId.LastIndexOf('<');
        var name = open >= 0 ? userId[..open] : "";
        foreach (var token in name.Split([' ', '\t', '"', '\'', '(', ')', ',', ';', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Contains('@', StringComparison.Ordinal) && !string.Equals(token, address, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A plain address a mailer can use: a dot-atom local part (RFC 5322 §3.2.3, with the UTF-8 of
    /// RFC 6531), an at sign, and a domain of letters, digits and hyphens in dot-separated labels.
    /// Quoted local parts and address literals are refused: no keyserver user needs them, and they
    /// are how hostile text (<c>javascript:alert(1)//@example.org</c>) passes for an address.
    /// </summary>
    private static bool IsAddress(ReadOnlySpan<char> text)
    {
        var at = text.IndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.Length > MaxAddressLength || text[(at + 1)..].Contains('@'))
        {
            return false;
        }

        return IsDotAtom(text[..at], IsAtomText) && IsDotAtom(text[(at + 1)..], c => char.IsLetterOrDigit(c) || c == '-');
    }

    private static bool IsDotAtom(ReadOnlySpan<char> text, Func<char, bool> allowed)
    {
        if (text.IsEmpty || text[0] == '.' || text[^1] == '.' || text.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c != '.' && !allowed(c))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 5322 §3.2.3 atext, and any non-ASCII letter or digit (RFC 6531 §3.3).
    private static bool IsAtomText(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal) || (c > 0x7F && char.IsLetterOrDigit(c));
}
