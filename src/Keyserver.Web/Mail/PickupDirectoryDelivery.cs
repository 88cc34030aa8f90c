using MimeKit;

namespace Keyserver.Web.Mail;

/// <summary>
/// The embedded default: writes each message as an .eml file, so a first-time user can confirm a key
/// without a mail server. The log names the file; the link itself (a manage link can delete keys)
/// is logged only with <c>Mail:LogLinks</c>, for a closed test network.
/// </summary>
internal sealed class PickupDirectoryDelivery(string directory, bool logLinks, ILogger<PickupDirectoryDelivery> logger) : IMailDelivery
{
    public string Directory { get; } = directory;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{message.Date.UtcDateTime:yyyyMMddTHHmmss}-{Guid.NewGuid():N}.eml";
        var path = Path.Combine(Directory, name);
        // Written aside and renamed so that a reader of the directory never sees half a message.
        var partial = path + ".tmp";
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, path);
        if (logLinks)
        {
            logger.LogInformation("Mail written to {Path}; its link: {Link}", path, MailComposer.LinkOf(message));
        }
        else
        {
            logger.LogInformation("Mail written to {Path}", path);
        }
    }
}
