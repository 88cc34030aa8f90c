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
    public static string? Email(string userId)
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

        return IsAddress(text) ? text.ToString().ToLowerInvariant() : null;
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

    private static bool IsAddress(ReadOnlySpan<char> text)
    {
        var at = text.IndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text[(at + 1)..].Contains('@'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';')
            {
                return false;
            }
        }

        var domain = text[(at + 1)..];
        return !domain.StartsWith('.') && !domain.EndsWith('.');
    }
}
