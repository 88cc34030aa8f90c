namespace Keyserver.Core.Search;

/// <summary>
/// What a lookup asks for, already classified. Each kind normalises its value when it is made
/// (upper-case hex, lower-case addresses and words), so no store or endpoint folds case again.
/// Built by <see cref="KeyQueryParser"/> from search text, or directly by an endpoint whose route
/// already says which kind it is.
/// </summary>
public abstract record KeyQuery
{
    private KeyQuery()
    {
    }

    /// <summary>A v4 (40 hex) or v6 (64 hex) fingerprint of a primary key or subkey.</summary>
    public sealed record ByFingerprint : KeyQuery
    {
        /// <summary>Creates the query; <paramref name="fingerprint"/> is hex in any case.</summary>
        /// <param name="fingerprint">Hex digits without <c>0x</c>.</param>
        public ByFingerprint(string fingerprint) => Fingerprint = Hex(fingerprint);

        /// <summary>Upper-case hex.</summary>
        public string Fingerprint { get; }
    }

    /// <summary>A long (16 hex) key ID of a primary key or subkey.</summary>
    public sealed record ByKeyId : KeyQuery
    {
        /// <summary>Creates the query; <paramref name="keyId"/> is hex in any case.</summary>
        /// <param name="keyId">Hex digits without <c>0x</c>.</param>
        public ByKeyId(string keyId) => KeyId = Hex(keyId);

        /// <summary>Upper-case hex.</summary>
        public string KeyId { get; }
    }

    /// <summary>A short (8 hex) key ID of a primary key or subkey; may match several keys.</summary>
    public sealed record ByShortKeyId : KeyQuery
    {
        /// <summary>Creates the query; <paramref name="shortKeyId"/> is hex in any case.</summary>
        /// <param name="shortKeyId">Hex digits without <c>0x</c>.</param>
        public ByShortKeyId(string shortKeyId) => ShortKeyId = Hex(shortKeyId);

        /// <summary>Upper-case hex.</summary>
        public string ShortKeyId { get; }
    }

    /// <summary>An exact e-mail address of a published identity.</summary>
    public sealed record ByEmail : KeyQuery
    {
        /// <summary>Creates the query; <paramref name="email"/> in any case.</summary>
        /// <param name="email">The address, without angle brackets.</param>
        public ByEmail(string email)
        {
            ArgumentNullException.ThrowIfNull(email);
            Email = email.ToLowerInvariant();
        }

        /// <summary>The address, lower case.</summary>
        public string Email { get; }
    }

    /// <summary>Every word occurs as a whole word in the published identities of the key.</summary>
    public sealed record ByWords : KeyQuery
    {
        /// <summary>Creates the query.</summary>
        /// <param name="words">The words, in any case.</param>
        public ByWords(IReadOnlyList<string> words)
        {
            ArgumentNullException.ThrowIfNull(words);
            Words = words.Select(w => w.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>Distinct lower-case words.</summary>
        public IReadOnlyList<string> Words { get; }
    }

    /// <summary>A published identity equal to this user ID, compared case-insensitively; <c>exact=on</c>.</summary>
    /// <param name="UserId">The user ID as the client wrote it.</param>
    public sealed record ByUserId(string UserId) : KeyQuery;

    private static string Hex(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToUpperInvariant();
    }
}
