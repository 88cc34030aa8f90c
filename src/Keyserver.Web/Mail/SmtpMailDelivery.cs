using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Keyserver.Web.Mail;

/// <summary>Delivers through the configured SMTP relay with MailKit, one connection per message.</summary>
internal sealed class SmtpMailDelivery(IOptions<SmtpOptions> options) : IMailDelivery
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = options.Value;
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.SocketOptions, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        try
        {
            // The relay has accepted the message: a failing QUIT, or a shutdown now, must not make
            // the caller retry and send it twice.
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or MailKit.ProtocolException)
        {
            // Accepted is accepted; the connection is closed by disposal.
        }
    }
}
