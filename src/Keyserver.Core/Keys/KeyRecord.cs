namespace Keyserver.Core.Keys;

/// <summary>
/// One stored OpenPGP certificate: the full merged key as uploaded (after the abuse filters), the
/// consent state of each identity, and everything a lookup needs, derived when the key is written
/// so that a lookup is one indexed read and no OpenPGP parsing.
/// </summary>
/// <remarks>
/// Records are built only by the core (KeyRecordBuilder); stores persist them as they are.
/// Hex strings are upper case without a <c>0x</c> prefix.
/// </remarks>
public sealed class KeyRecord
{
    private byte[]? _publishedArmored;

    /// <summary>Primary key fingerprint: 40 hex digits for v4, 64 for v6.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>OpenPGP key version of the primary key (4 or 6).</summary>
    public required int Version { get; init; }

    /// <summary>The full merged transferable public key, binary. Never served as a whole.</summary>
    public required byte[] FullKey { get; init; }

    /// <summary>
    /// The published view, binary: primary key, its self-signatures and revocations, subkeys with
    /// their bindings, and the published identities. Null when no identity is published; such a key
    /// is not served.
    /// </summary>
    public byte[]? Published { get; init; }

    /// <summary>ASCII armor of <see cref="Published"/>, UTF-8, ending with a newline; null when not published.</summary>
    /// <remarks>
    /// Made on first use and kept with the record: stores keep only the binary view (the armor would
    /// add half again its size to every key on disk), and a record served often stays in the lookup
    /// cache with its armor. Two threads may both make it; they make the same bytes.
    /// </remarks>
    public byte[]? PublishedArmored => Published is null ? null : _publishedArmored ??= KeyArmor.Armor([Published]);

    /// <summary>The primary key's algorithm, size, dates and revocation.</summary>
    public required KeyInfo Primary { get; init; }

    /// <summary>Subkeys with a valid binding, in key order.</summary>
    public required IReadOnlyList<SubkeyInfo> Subkeys { get; init; }

    /// <summary>Every identity with a valid self-signature, with its consent state.</summary>
    public required IReadOnlyList<IdentityRecord> Identities { get; init; }

    /// <summary>Fingerprints of the primary key and all subkeys (lookup index).</summary>
    public required IReadOnlyList<string> Fingerprints { get; init; }

    /// <summary>Long (16 hex) key IDs of the primary key and all subkeys (lookup index).</summary>
    public required IReadOnlyList<string> KeyIds { get; init; }

    /// <summary>Short (8 hex) key IDs of the primary key and all subkeys (lookup index).</summary>
    public required IReadOnlyList<string> ShortKeyIds { get; init; }

    /// <summary>Normalised e-mail addresses of published identities (lookup index).</summary>
    public required IReadOnlyList<string> PublishedEmails { get; init; }

    /// <summary>Lower-case search words of published identities (lookup index).</summary>
    public required IReadOnlyList<string> PublishedWords { get; init; }

    /// <summary>When this key was first stored.</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the stored content last changed.</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>True when the key has a published view and may be served.</summary>
    public bool IsPublished => Published is not null;
}

/// <summary>Algorithm, size and validity of a primary key or subkey.</summary>
/// <param name="Algorithm">OpenPGP public-key algorithm number (1 RSA, 17 DSA, 22 EdDSA, 27 Ed25519, ...).</param>
/// <param name="Bits">Key size in bits; for elliptic curves the curve size (256 for Ed25519, 384 for P-384).</param>
/// <param name="Curve">Curve name for elliptic-curve keys (for example <c>Ed25519</c>, <c>NIST P-256</c>), else null.</param>
/// <param name="Created">Creation time from the key packet.</param>
/// <param name="Expires">Expiry from the newest valid self-signature, or null if it never expires.</param>
/// <param name="Revoked">Revocation by a valid self-revocation signature, or null.</param>
public sealed record KeyInfo(
    int Algorithm,
    int Bits,
    string? Curve,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    Revocation? Revoked);

/// <summary>A subkey with a valid binding signature.</summary>
/// <param name="Fingerprint">Subkey fingerprint (upper-case hex).</param>
/// <param name="KeyId">Long key ID (16 upper-case hex).</param>
/// <param name="Info">Algorithm, size and validity.</param>
/// <param name="Usage">Key flags from the binding signature.</param>
public sealed record SubkeyInfo(string Fingerprint, string KeyId, KeyInfo Info, KeyUsage Usage);

/// <summary>A revocation: when, and the reason the owner gave.</summary>
/// <param name="At">Creation time of the revocation signature.</param>
/// <param name="ReasonCode">Reason-for-revocation code (0 none, 1 superseded, 2 compromised, 3 retired, 32 user ID no longer valid).</param>
/// <param name="ReasonText">The free text of the reason, possibly empty.</param>
public sealed record Revocation(DateTimeOffset At, int ReasonCode, string ReasonText);

/// <summary>Key usage flags (RFC 9580 §5.2.3.29), as far as a key page shows them.</summary>
[Flags]
public enum KeyUsage
{
    /// <summary>No usage flags were given.</summary>
    None = 0,
    /// <summary>May certify other keys.</summary>
    Certify = 1,
    /// <summary>May sign data.</summary>
    Sign = 2,
    /// <summary>May encrypt communications.</summary>
    EncryptCommunications = 4,
    /// <summary>May encrypt storage.</summary>
    EncryptStorage = 8,
    /// <summary>May authenticate.</summary>
    Authenticate = 32,
}
