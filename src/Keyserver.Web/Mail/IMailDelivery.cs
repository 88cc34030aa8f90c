using MimeKit;

namespace Keyserver.Web.Mail;

/// <summary>Hands a composed message to whatever delivers it; throws when it could not.</summary>
internal interface IMailDelivery
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
