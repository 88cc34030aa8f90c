namespace Keyserver.Core.Keys;

/// <summary>
/// A user ID with a valid self-signature and its owner's consent state.
/// </summary>
/// <param name="UserId">The user ID as text (UTF-8 decoded; invalid bytes replaced).</param>
/// <param name="Email">The normalised (lower-case) e-mail address in the user ID, or null.</param>
/// <param name="State">Consent state: whether the owner allowed publication.</param>
/// <param name="Created">Creation time of the newest valid self-certification.</param>
/// <param name="Expires">Expiry of the key as seen through this identity's self-signature, or null.</param>
/// <param name="Revoked">Revocation of this user ID by the key owner, or null.</param>
/// <param name="StateChanged">When <paramref name="State"/> last changed.</param>
public sealed record IdentityRecord(
    string UserId,
    string? Email,
    IdentityState State,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    Revocation? Revoked,
    DateTimeOffset StateChanged)
{
    /// <summary>
    /// The status users see (VKS, portal): a published identity its owner revoked shows as revoked;
    /// otherwise the consent state.
    /// </summary>
    public IdentityStatus Status => State switch
    {
        IdentityState.Published when Revoked is not null => IdentityStatus.Revoked,
        IdentityState.Published => IdentityStatus.Published,
        IdentityState.Unpublished => IdentityStatus.Unpublished,
        _ => IdentityStatus.Pending,
    };
}

/// <summary>Whether the owner of an identity allowed it to be published.</summary>
public enum IdentityState
{
    /// <summary>Uploaded, waiting for the owner to confirm; never served.</summary>
    Pending = 0,
    /// <summary>Served in lookups and search.</summary>
    Published = 1,
    /// <summary>Withdrawn by its owner; no longer served.</summary>
    Unpublished = 2,
}

/// <summary>The four states users are shown (the VKS <c>status</c> values).</summary>
public enum IdentityStatus
{
    /// <summary>Waiting for confirmation.</summary>
    Pending,
    /// <summary>Published.</summary>
    Published,
    /// <summary>Withdrawn by the owner.</summary>
    Unpublished,
    /// <summary>Published, and revoked by the key owner (served so the revocation propagates).</summary>
    Revoked,
}
