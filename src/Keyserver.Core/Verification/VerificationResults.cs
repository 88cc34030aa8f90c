using Keyserver.Core.Keys;

namespace Keyserver.Core.Verification;

/// <summary>Why a token works or not; the portal shows a page for each.</summary>
public enum TokenState
{
    /// <summary>The token works (for a verification token: not used yet).</summary>
    Valid,

    /// <summary>Not a token of this server, a token for something else, or for a key or identity that is gone.</summary>
    Unknown,

    /// <summary>The token is past its expiry.</summary>
    Expired,

    /// <summary>The single-use token was used already.</summary>
    Used,
}

/// <summary>A verification link looked up or confirmed.</summary>
/// <param name="State">Whether the link works; for a confirmation, <see cref="TokenState.Valid"/> means it published.</param>
/// <param name="Fingerprint">The key, when the link is valid.</param>
/// <param name="Address">The address, when the link is valid.</param>
/// <param name="Identities">The identities of the key carrying the address, when the link is valid.</param>
/// <param name="Expires">When the link expires, when it is valid.</param>
public sealed record VerifyResult(
    TokenState State,
    string? Fingerprint,
    string? Address,
    IReadOnlyList<IdentityRecord> Identities,
    DateTimeOffset? Expires)
{
    internal static VerifyResult Failed(TokenState state) => new(state, null, null, [], null);
}

/// <summary>A key as the owner of an address sees it on the manage page.</summary>
/// <param name="Fingerprint">Primary fingerprint.</param>
/// <param name="Identities">The key's identities that carry the address, with their states.</param>
public sealed record ManagedKey(string Fingerprint, IReadOnlyList<IdentityRecord> Identities);

/// <summary>What a manage link shows.</summary>
/// <param name="State">Whether the link works.</param>
/// <param name="Address">The address the link is for, when valid.</param>
/// <param name="Keys">The published keys of that address, when valid.</param>
public sealed record ManageView(TokenState State, string? Address, IReadOnlyList<ManagedKey> Keys);

/// <summary>The outcome of an unpublish or delete on the manage page.</summary>
public enum ManageOutcome
{
    /// <summary>Done; it takes effect on the next lookup.</summary>
    Done,

    /// <summary>The manage link is unknown or expired.</summary>
    InvalidToken,

    /// <summary>No such key or identity of the link's address.</summary>
    NotFound,
}

/// <summary>The VKS upload answer for one key (<c>key_fpr</c>, <c>status</c>, <c>token</c>).</summary>
/// <param name="Fingerprint">Primary fingerprint.</param>
/// <param name="Status">Each e-mail address on the key and its status.</param>
/// <param name="Token">An upload token for <c>request-verify</c>.</param>
public sealed record UploadStatus(string Fingerprint, IReadOnlyDictionary<string, IdentityStatus> Status, string Token);
