namespace Keyserver.Core.Ingest;

/// <summary>When an uploaded identity becomes visible (configuration <c>Verification:Mode</c>).</summary>
public enum PublicationMode
{
    /// <summary>Every identity with a valid self-signature is published at once (closed networks).</summary>
    None,

    /// <summary>An identity is published only after the owner of its e-mail address confirms.</summary>
    Email,
}

/// <summary>
/// Abuse limits applied to every uploaded key. The defaults follow Hockeypuck's
/// (<c>server/settings.go</c> in hockeypuck/hockeypuck), which were set after the 2019 certificate flooding attack.
/// </summary>
public sealed record KeyLimits
{
    /// <summary>
    /// Largest transferable key accepted, as uploaded and again after merging with the stored key
    /// (Hockeypuck <c>maxKeyLength</c>: 1 MiB). An upload that would cross it is rejected.
    /// </summary>
    public int MaxKeyBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest non-signature packet body (Hockeypuck <c>maxPacketLength</c>: 8192). Larger packets are dropped.</summary>
    public int MaxPacketBytes { get; init; } = 8192;

    /// <summary>Largest signature packet body (Hockeypuck <c>maxSigPacketLength</c>: 65536). Larger ones are dropped.</summary>
    public int MaxSignaturePacketBytes { get; init; } = 65536;

    /// <summary>Most distinct user IDs a key may carry (after merging); a key with more is rejected.</summary>
    public int MaxUserIds { get; init; } = 100;

    /// <summary>Most distinct subkeys a key may carry (after merging); a key with more is rejected.</summary>
    public int MaxSubkeys { get; init; } = 100;

    /// <summary>Longest user ID in bytes; longer user IDs are dropped.</summary>
    public int MaxUserIdBytes { get; init; } = 2048;

    /// <summary>
    /// Keep certifications made by other keys (not verified, only stored and served). Off by default:
    /// they were the vector of the 2019 flooding attack.
    /// </summary>
    public bool KeepThirdPartyCertifications { get; init; }

    /// <summary>Keep user attributes (photo IDs). Off by default, as in Hockeypuck and Hagrid.</summary>
    public bool KeepUserAttributes { get; init; }

    /// <summary>
    /// The limit a key of this size would cross, worded for the uploader, or null. Checked on the
    /// merged key inside the store's write, so neither repeated nor racing uploads can grow a key past it.
    /// </summary>
    /// <param name="keyBytes">Serialised size of the merged key.</param>
    /// <param name="userIds">Distinct user IDs after merging.</param>
    /// <param name="subkeys">Distinct subkeys after merging.</param>
    public string? Violation(long keyBytes, int userIds, int subkeys) =>
        keyBytes > MaxKeyBytes ? $"the key would be {keyBytes} bytes after merging (limit MaxKeyBytes = {MaxKeyBytes})"
        : userIds > MaxUserIds ? $"the key would have {userIds} user IDs (limit MaxUserIds = {MaxUserIds})"
        : subkeys > MaxSubkeys ? $"the key would have {subkeys} subkeys (limit MaxSubkeys = {MaxSubkeys})"
        : null;
}

/// <summary>How uploads are filtered and published.</summary>
/// <param name="Mode">When identities become visible.</param>
/// <param name="Limits">Abuse limits.</param>
public sealed record KeyPolicy(PublicationMode Mode, KeyLimits Limits);

/// <summary>Per-call options of <see cref="KeyIngestor.IngestAsync"/>.</summary>
/// <param name="PublishAll">Publish every new identity at once whatever the mode (administrator import <c>--publish</c>).</param>
public sealed record IngestOptions(bool PublishAll = false)
{
    /// <summary>The operator's block list and upload policy, asked for each key before it is verified; null admits every key.</summary>
    public IKeyAdmission? Admission { get; init; }
}
