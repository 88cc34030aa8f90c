using MimeKit;

namespace Keyserver.Web.Mail;

/// <summary>
/// The embedded default: writes each message as an .eml file and logs its link, so a first-time
/// user can confirm a key without a mail server.
/// </summary>
internal sealed class PickupDirectoryDelivery(string directory, ILogger<PickupDirectoryDelivery> logger) : IMailDelivery
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
        logger.LogInformation("Mail written to {Path}; its link: {Link}", path, MailComposer.LinkOf(message));
    }
}
