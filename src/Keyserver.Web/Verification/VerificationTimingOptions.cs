using Keyserver.Core.Verification;
using Keyserver.Web.Options;

namespace Keyserver.Web.Verification;

/// <summary>
/// Lifetimes and intervals of the e-mail verification (section <c>Verification</c>, beside
/// <see cref="VerificationOptions.Mode"/>).
/// </summary>
internal sealed class VerificationTimingOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan MailInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan PurgeAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Null when valid, else a message naming the offending key.</summary>
    public string? Problem() =>
        TokenLifetime <= TimeSpan.Zero ? "Verification:TokenLifetime must be a positive time span (for example 3.00:00:00)."
        : MailInterval < TimeSpan.Zero ? "Verification:MailInterval must not be negative."
        : PurgeAfter <= TimeSpan.Zero ? "Verification:PurgeAfter must be a positive time span (for example 14.00:00:00)."
        : null;

    public VerificationSettings ToSettings(VerificationOptions mode) =>
        new(mode.ToPublicationMode(), TokenLifetime, MailInterval, PurgeAfter);
}
