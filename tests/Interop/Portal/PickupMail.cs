using System.Text.RegularExpressions;
using TestKit.Mail;

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

    [GeneratedRegex("/(verify|manage)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
