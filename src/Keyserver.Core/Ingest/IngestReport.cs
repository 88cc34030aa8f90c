using Keyserver.Core.Keys;

namespace Keyserver.Core.Ingest;

/// <summary>What happened to one key of an upload.</summary>
public enum KeyOutcomeKind
{
    /// <summary>The key was new and is stored.</summary>
    Added,

    /// <summary>The key was known and gained something.</summary>
    Updated,

    /// <summary>The key was known and the upload added nothing.</summary>
    Unchanged,

    /// <summary>The key was refused; see <see cref="KeyOutcome.Reason"/>.</summary>
    Rejected,
}

/// <summary>The result for one key of an upload.</summary>
/// <param name="Fingerprint">Primary fingerprint (upper-case hex), or null when it could not be determined.</param>
/// <param name="Kind">Added, updated, unchanged or rejected.</param>
/// <param name="Reason">Why the key was rejected, else null.</param>
/// <param name="Dropped">Parts removed by the abuse filters and checks, as short sentences ("3 third-party certifications").</param>
/// <param name="NewIdentities">Identities the key did not have before (the ones that may need confirmation).</param>
public sealed record KeyOutcome(
    string? Fingerprint,
    KeyOutcomeKind Kind,
    string? Reason,
    IReadOnlyList<string> Dropped,
    IReadOnlyList<IdentityRecord> NewIdentities)
{
    /// <summary>Every identity of the key as stored after this upload (empty for a rejected key).</summary>
    public IReadOnlyList<IdentityRecord> Identities { get; init; } = [];

    /// <summary>
    /// The addresses of the identities in the uploaded material itself: what an answer may speak
    /// of without revealing identities the uploader did not send.
    /// </summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];
}

/// <summary>The result of an upload.</summary>
/// <param name="Keys">One outcome per key found, in input order, then one per bare revocation signature.</param>
/// <param name="Errors">Problems with the input itself ("no OpenPGP data found", a bad armor checksum, ...).</param>
public sealed record IngestReport(IReadOnlyList<KeyOutcome> Keys, IReadOnlyList<string> Errors)
{
    /// <summary>True when at least one key was added, updated or found unchanged.</summary>
    public bool AnyAccepted => Keys.Any(k => k.Kind != KeyOutcomeKind.Rejected);
}
