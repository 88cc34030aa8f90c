namespace Keyserver.Core.Search;

/// <summary>
/// What a lookup asks for, already classified and normalised (upper-case hex, lower-case addresses
/// and words). Built by <see cref="KeyQueryParser"/>.
/// </summary>
public abstract record KeyQuery
{
    private KeyQuery()
    {
    }

    /// <summary>A v4 (40 hex) or v6 (64 hex) fingerprint of a primary key or subkey.</summary>
    public sealed record ByFingerprint(string Fingerprint) : KeyQuery;

    /// <summary>A long (16 hex) key ID of a primary key or subkey.</summary>
    public sealed record ByKeyId(string KeyId) : KeyQuery;

    /// <summary>A short (8 hex) key ID of a primary key or subkey; may match several keys.</summary>
    public sealed record ByShortKeyId(string ShortKeyId) : KeyQuery;

    /// <summary>An exact, normalised e-mail address of a published identity.</summary>
    public sealed record ByEmail(string Email) : KeyQuery;

    /// <summary>Every word occurs as a whole word in the published identities of the key (lower-case).</summary>
    public sealed record ByWords(IReadOnlyList<string> Words) : KeyQuery;

    /// <summary>A published identity equal to this user ID (case-insensitive); <c>exact=on</c>.</summary>
    public sealed record ByUserId(string UserId) : KeyQuery;
}
