using System.ComponentModel.DataAnnotations;
using Keyserver.Core.Ingest;
using Keyserver.Core.Verification;

namespace Keyserver.Web.Options;

/// <summary>How uploaded identities become published, and the lifetimes and intervals of the e-mail verification (section <c>Verification</c>).</summary>
internal sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>
    /// Kept as text so that an unknown value fails validation with a message naming the key;
    /// binding straight to the enum would throw a conversion error (or accept any number).
    /// </summary>
    [Required(ErrorMessage = "Verification:Mode must be None or Email.")]
    [RegularExpression("(?i)^(None|Email)$", ErrorMessage = "Verification:Mode must be None or Email.")]
    public string Mode { get; set; } = nameof(PublicationMode.Email);

    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Verification:TokenLifetime must be a positive time span (for example 3.00:00:00).")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(3);

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Verification:MailInterval must not be negative.")]
    public TimeSpan MailInterval { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Verification:PurgeAfter must be a positive time span (for example 14.00:00:00).")]
    public TimeSpan PurgeAfter { get; set; } = TimeSpan.FromDays(14);

    [Range(1, 1000, ErrorMessage = "Verification:MailsPerAddressPerDay must be between 1 and 1000.")]
    public int MailsPerAddressPerDay { get; set; } = 3;

    [Range(1, 100_000, ErrorMessage = "Verification:MailsPerClientPerHour must be between 1 and 100000.")]
    public int MailsPerClientPerHour { get; set; } = 20;

    public PublicationMode ToPublicationMode() => Enum.Parse<PublicationMode>(Mode, ignoreCase: true);

    public VerificationSettings ToSettings() =>
        new(ToPublicationMode(), TokenLifetime, MailInterval, PurgeAfter, MailsPerAddressPerDay, MailsPerClientPerHour);
}
