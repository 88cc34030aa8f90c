using System.Globalization;
using Keyserver.Core.Search;

namespace Keyserver.Core.Admin;

/// <summary>What a block names.</summary>
public enum BlockKind
{
    /// <summary>A key's primary fingerprint: its uploads are refused and it is never served.</summary>
    Fingerprint,

    /// <summary>An e-mail address: never mailed, never published.</summary>
    Address,

    /// <summary>A domain and its subdomains: no address in it is mailed or published.</summary>
    Domain,
}

/// <summary>
/// A normalised block target. Only the factories create one, so a store compares plain strings:
/// fingerprints in upper-case hex, addresses as <see cref="SearchText.NormaliseAddress"/> gives them,
/// domains in lower-case IDNA ASCII (RFC 5891 §4, the A-label form) without a trailing dot.
/// </summary>
public sealed record BlockTarget
{
    /// <summary>Longest domain name (RFC 1035 §2.3.4).</summary>
    public const int MaxDomainLength = 253;

    private BlockTarget(BlockKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>What the target names.</summary>
    public BlockKind Kind { get; }

    /// <summary>The normalised value.</summary>
    public string Value { get; }

    /// <summary>
    /// A fingerprint target from hex text (a leading <c>0x</c> and spaces are ignored), or null unless
    /// it is a v4 (40 digits, RFC 9580 §5.5.4.2) or v6 (64 digits, RFC 9580 §5.5.4.3) fingerprint.
    /// </summary>
    public static BlockTarget? Fingerprint(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
        {
            return null;
        }

        var hex = text.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        return hex.Length is 40 or 64 && hex.All(char.IsAsciiHexDigit)
            ? new BlockTarget(BlockKind.Fingerprint, hex.ToUpperInvariant())
            : null;
    }

    /// <summary>An address target, or null when the text is not one plain address.</summary>
    public static BlockTarget? Address(string? text) =>
        SearchText.NormaliseAddress(text?.Trim()) is { } address ? new BlockTarget(BlockKind.Address, address) : null;

    /// <summary>A domain target, or null when the text is not a domain name.</summary>
    public static BlockTarget? Domain(string? text) =>
        NormaliseDomain(text) is { } domain ? new BlockTarget(BlockKind.Domain, domain) : null;

    /// <summary>A target of the given kind, or null when the text is not one.</summary>
    public static BlockTarget? Of(BlockKind kind, string? text) => kind switch
    {
        BlockKind.Fingerprint => Fingerprint(text),
        BlockKind.Address => Address(text),
        BlockKind.Domain => Domain(text),
        _ => null,
    };

    /// <summary>
    /// Guesses the kind from the text: 40 or 64 hex digits are a fingerprint, text with an at sign an
    /// address, anything else a domain. Null when the text is none of them.
    /// </summary>
    public static BlockTarget? Parse(string? text) =>
        text is null ? null
        : Fingerprint(text) is { } fingerprint ? fingerprint
        : text.Contains('@', StringComparison.Ordinal) ? Address(text)
        : Domain(text);

    /// <summary>
    /// The lower-case IDNA ASCII form of a domain name (RFC 5891 §4.4 via <see cref="IdnMapping"/>),
    /// or null when it is not a host name of letter-digit-hyphen labels (RFC 1123 §2.1) of at most 63
    /// characters each and 253 in all. A trailing dot is removed.
    /// </summary>
    public static string? NormaliseDomain(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxDomainLength + 1)
        {
            return null;
        }

        var name = text.Trim();
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        string ascii;
        try
        {
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (ascii.Length is 0 or > MaxDomainLength)
        {
            return null;
        }

        foreach (var label in ascii.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return null;
            }
        }

        return ascii;
    }

    /// <summary>
    /// The normalised domain of an address and each of its parent domains, most specific first
    /// (<c>a@mail.example.org</c> gives mail.example.org, example.org, org); empty when the domain
    /// does not normalise.
    /// </summary>
    public static IReadOnlyList<string> DomainsOf(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        if (NormaliseDomain(at < 0 ? null : address[(at + 1)..]) is not { } domain)
        {
            return [];
        }

        var domains = new List<string> { domain };
        for (var dot = domain.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = domain.IndexOf('.', dot + 1))
        {
            domains.Add(domain[(dot + 1)..]);
        }

        return domains;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Value}";
}
