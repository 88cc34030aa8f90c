using MimeKit;

namespace Interop.Tests.Portal;

/// <summary>Reads the .eml files the server writes to its pickup directory (no SMTP server configured).</summary>
internal static partial class PickupMail
{
    /// <summary>
    /// Waits for a mail to <paramref name="to"/> holding a <c>/verify/</c> or <c>/manage/</c> link
    /// (<paramref name="kind"/>) and returns the link's path. The host in the link is the configured
    /// public URL, so only the path is used.
    /// </summary>
    public static async Task<string> WaitForLinkPathAsync(string dataDirectory, string to, string kind)
    {
        var message = await PickupDirectory.WaitForAsync(
            Path.Combine(dataDirectory, "outbox"),
            m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase))
                && Link().Match(m.TextBody ?? "") is { Success: true } match && match.Groups[1].Value == kind,
            $"a {kind} mail to {to}");
        return Link().Match(message.TextBody!).Value;
    }

    /// <summary>The /verify/ or /manage/ link paths of every mail to <paramref name="to"/> in the pickup directory now.</summary>
    public static async Task<IReadOnlyList<string>> LinkPathsToAsync(string dataDirectory, string to)
    {
        var links = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dataDirectory, "outbox"), "*.eml"))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))
                && Link().Match(message.TextBody ?? "") is { Success: true } match)
            {
                links.Add(match.Value);
            }
        }

        return links;
    }

    /// <summary>How many mails to <paramref name="to"/> are in the pickup directory now.</summary>
    public static async Task<int> CountToAsync(string dataDirectory, string to)
    {
        var directory = Path.Combine(dataDirectory, "outbox");
        var count = 0;
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.eml"))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    [GeneratedRegex("/(verify|manage)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
