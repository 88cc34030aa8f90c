using Keyserver.Core.Ingest;

namespace Keyserver.Core.Verification;

/// <summary>The settings of <see cref="VerificationService"/>, validated by the host.</summary>
/// <param name="Mode">When identities become published; nothing is mailed in <see cref="PublicationMode.None"/>.</param>
/// <param name="TokenLifetime">How long a verification link works (default 3 days).</param>
/// <param name="MailInterval">At most one verification mail per key and address in this interval (default 1 hour).</param>
/// <param name="PurgeAfter">Keys with nothing published and no change for this long are deleted (default 14 days).</param>
public sealed record VerificationSettings(PublicationMode Mode, TimeSpan TokenLifetime, TimeSpan MailInterval, TimeSpan PurgeAfter)
{
    /// <summary>
    /// Lifetime of manage and upload tokens: one hour, as Hagrid's <c>token_validity</c>. They grant
    /// deletion or more mails, so they live shorter than a verification link.
    /// </summary>
    public static readonly TimeSpan SessionTokenLifetime = TimeSpan.FromHours(1);
}
