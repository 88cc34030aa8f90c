namespace SifSign.Cli;

/// <summary>The check <c>key newpair --email</c> makes before a user ID is written into a key.</summary>
internal static class EmailAddresses
{
    /// <summary>
    /// True for an empty value (no address in the user ID) or one addr-spec as RFC 5322 §3.4.1 writes
    /// it in practice: one '@', a non-empty local part and a domain with a dot, no spaces or angle
    /// brackets (they would break the "Name (Comment) &lt;email&gt;" user ID of RFC 9580 §5.11).
    /// </summary>
    public static bool IsValid(string email)
    {
        if (email.Length == 0)
        {
            return true;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || email.Length > 254)
        {
            return false;
        }

        var domain = email[(at + 1)..];
        return !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or '"' or '\\')
            && domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal);
    }
}
