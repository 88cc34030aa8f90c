using Keyserver.Core.Ingest;

namespace Keyserver.Core.Verification;

/// <summary>The settings of <see cref="VerificationService"/>, validated by the host.</summary>
/// <param name="Mode">When identities become published; nothing is mailed in <see cref="PublicationMode.None"/>.</param>
/// <param name="TokenLifetime">How long a verification link works (default 3 days).</param>
/// <param name="MailInterval">At most one verification mail per key and address in this interval (default 1 hour).</param>
/// <param name="PurgeAfter">Keys with nothing published and no change for this long are deleted (default 14 days).</param>
/// <param name="MailsPerAddressPerDay">Mails to one address in a day, whatever the key (default 3).</param>
/// <param name="MailsPerClientPerHour">Mails one client network (an IPv4 address, an IPv6 /64) may cause in an hour (default 20).</param>
public sealed record VerificationSettings(
    PublicationMode Mode,
    TimeSpan TokenLifetime,
    TimeSpan MailInterval,
    TimeSpan PurgeAfter,
    int MailsPerAddressPerDay = 3,
    int MailsPerClientPerHour = 20)
{
    /// <summary>The window of <see cref="MailsPerAddressPerDay"/>.</summary>
    public static readonly TimeSpan AddressWindow = TimeSpan.FromDays(1);

    /// <summary>The window of <see cref="MailsPerClientPerHour"/>.</summary>
    public static readonly TimeSpan ClientWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// Lifetime of manage and upload tokens: one hour, as Hagrid's <c>token_validity</c>. They grant
    /// deletion or more mails, so they live shorter than a verification link.
    /// </summary>
    public static readonly TimeSpan SessionTokenLifetime = TimeSpan.FromHours(1);
}
