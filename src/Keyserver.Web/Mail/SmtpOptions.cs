using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Keyserver.Web.Mail;

/// <summary>The SMTP relay (section <c>Mail:Smtp</c>); with no host, mail goes to the pickup directory.</summary>
internal sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Mail:Smtp";

    private static readonly string[] SecurityValues = ["None", "StartTls", "SslOnConnect"];

    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Mail:Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>None, StartTls or SslOnConnect; text so a wrong value fails validation with its key named.</summary>
    public string Security { get; set; } = "StartTls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public SecureSocketOptions SocketOptions => Security.ToUpperInvariant() switch
    {
        "NONE" => SecureSocketOptions.None,
        "SSLONCONNECT" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SecurityValues.Contains(Security, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult("Mail:Smtp:Security must be None, StartTls or SslOnConnect.", [nameof(Security)]);
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Mail:Smtp:Username and Mail:Smtp:Password must be set together.", [nameof(Username)]);
        }
    }

    /// <summary>For logs: neither the password nor the user name (often an address) appears.</summary>
    public override string ToString() =>
        $"{Host}:{Port} ({Security}){(string.IsNullOrEmpty(Username) ? "" : ", user and password [redacted]")}";
}
