using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace Keyserver.Web.Mail;

/// <summary>Sender, pickup directory and retry pacing of outgoing mail (section <c>Mail</c>).</summary>
internal sealed class MailOptions : IValidatableObject
{
    public const string Section = "Mail";

    public string From { get; set; } = "Keyserver <keyserver@localhost>";

    /// <summary>
    /// Where mails are written as .eml files when no SMTP host is set; relative paths are resolved
    /// against the data directory.
    /// </summary>
    public string PickupDirectory { get; set; } = "outbox";

    /// <summary>
    /// Log the link of each mail written to the pickup directory. Off by default: a manage link
    /// can delete keys, and logs travel further than mail.
    /// </summary>
    public bool LogLinks { get; set; }

    /// <summary>Wait after the first failed delivery; doubled after each further failure.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between delivery attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var problem = !MailboxAddress.TryParse(From, out _) ? "Mail:From must be a mail address such as \"Keyserver <keys@example.org>\"."
            : string.IsNullOrWhiteSpace(PickupDirectory) ? "Mail:PickupDirectory must name a directory."
            : RetryInitialDelay <= TimeSpan.Zero ? "Mail:RetryInitialDelay must be a positive time span."
            : RetryMaxDelay < RetryInitialDelay ? "Mail:RetryMaxDelay must not be shorter than Mail:RetryInitialDelay."
            : null;
        if (problem is not null)
        {
            yield return new ValidationResult(problem);
        }
    }

    /// <summary>The wait before attempt number <paramref name="failures"/> + 1: exponential, capped.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(RetryInitialDelay.Ticks * factor, RetryMaxDelay.Ticks));
    }
}
