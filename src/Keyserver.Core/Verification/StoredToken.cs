namespace Keyserver.Core.Verification;

/// <summary>What a token lets its holder do.</summary>
public enum TokenPurpose
{
    /// <summary>Publish the identities of one address on one key (single use).</summary>
    Verify,

    /// <summary>List and withdraw the keys and identities of one address until it expires.</summary>
    Manage,

    /// <summary>Ask for verification mails for addresses of one uploaded key (VKS <c>request-verify</c>).</summary>
    Upload,

    /// <summary>Sign an admin in to the console (single use, 15 minutes); bound to the admin's address.</summary>
    AdminSignIn,
}

/// <summary>A token as stored: its hash and what it is bound to, never the token itself.</summary>
/// <param name="Hash">SHA-256 of the token (<see cref="VerificationTokens.Hash"/>).</param>
/// <param name="Purpose">What the token may be used for.</param>
/// <param name="Fingerprint">The primary fingerprint it is bound to; null for <see cref="TokenPurpose.Manage"/>.</param>
/// <param name="Address">The normalised e-mail address it is bound to; null for <see cref="TokenPurpose.Upload"/>.</param>
/// <param name="Created">When it was issued.</param>
/// <param name="Expires">When it stops working.</param>
/// <param name="Used">When a single-use token was used, else null.</param>
public sealed record StoredToken(
    string Hash,
    TokenPurpose Purpose,
    string? Fingerprint,
    string? Address,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    DateTimeOffset? Used);
