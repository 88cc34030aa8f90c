using MailKit.Security;

namespace Keyserver.Web.Mail;

/// <summary>The SMTP relay (section <c>Mail:Smtp</c>); with no host, mail goes to the pickup directory.</summary>
internal sealed class SmtpOptions
{
    public const string Section = "Mail:Smtp";

    private static readonly string[] SecurityValues = ["None", "StartTls", "SslOnConnect"];

    public string? Host { get; set; }

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

    /// <summary>Null when valid, else a message naming the offending key.</summary>
    public string? Problem() =>
        Port is < 1 or > 65535 ? "Mail:Smtp:Port must be between 1 and 65535."
        : !SecurityValues.Contains(Security, StringComparer.OrdinalIgnoreCase) ? "Mail:Smtp:Security must be None, StartTls or SslOnConnect."
        : string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password) ? "Mail:Smtp:Username and Mail:Smtp:Password must be set together."
        : null;

    /// <summary>For logs: neither the password nor the user name (often an address) appears.</summary>
    public override string ToString() =>
        $"{Host}:{Port} ({Security}){(string.IsNullOrEmpty(Username) ? "" : ", user and password [redacted]")}";
}
