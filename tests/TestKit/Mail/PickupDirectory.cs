namespace TestKit.Mail;

/// <summary>The .eml files a mail client with no SMTP server writes to a pickup directory.</summary>
public static class PickupDirectory
{
    /// <summary>Waits until <paramref name="directory"/> holds at least <paramref name="count"/> .eml files and returns their paths.</summary>
    public static Task<string[]> WaitForFilesAsync(string directory, int count = 1) =>
        Eventually.ValueAsync(
            () => Directory.Exists(directory) && Directory.GetFiles(directory, "*.eml") is { } files && files.Length >= count ? files : null,
            () => $"{count} mail(s) in the pickup directory {directory}");

    /// <summary>Waits for the first mail in <paramref name="directory"/> that <paramref name="match"/> accepts and returns it.</summary>
    public static Task<MimeMessage> WaitForAsync(string directory, Func<MimeMessage, bool> match, string whatWasAwaited) =>
        Eventually.ValueAsync(
            async () =>
            {
                if (!Directory.Exists(directory))
                {
                    return null;
                }

                foreach (var file in Directory.EnumerateFiles(directory, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file).ConfigureAwait(false);
                    if (match(message))
                    {
                        return message;
                    }
                }

                return null;
            },
            () => $"{whatWasAwaited} in {directory}");
}
