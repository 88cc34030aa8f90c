using System.Text.RegularExpressions;
using MimeKit;

namespace Interop.Tests.Verification;

/// <summary>Reads the verification and manage links out of mails.</summary>
internal static partial class MailLinks
{
    /// <summary>What the tests configure as Keyserver:PublicUrl; every mailed link must start with it.</summary>
    public const string PublicUrl = "https://keys.example.test";

    /// <summary>The path (<c>/verify/…</c> or <c>/manage/…</c>) of the link in <paramref name="message"/>.</summary>
    public static string Path(MimeMessage message, string kind)
    {
        var match = Link().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"no link in mail:\n{message.TextBody}");
        Assert.Equal(kind, match.Groups[1].Value);
        return match.Value[PublicUrl.Length..];
    }

    [GeneratedRegex(@"https://keys\.example\.test/(verify|manage)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
