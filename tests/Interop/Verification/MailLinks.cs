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

    /// <summary>The environment that points the keyserver at an SMTP server on <paramref name="port"/>, e-mail mode on.</summary>
    public static Dictionary<string, string> ServerEnvironment(int port) => new()
    {
        ["Verification__Mode"] = "Email",
        ["Mail__Smtp__Host"] = "127.0.0.1",
        ["Mail__Smtp__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail__Smtp__Security"] = "None",
        // The server's port is chosen by KeyserverProcess at start, so links carry this public name
        // and the tests follow only their path; that the prefix is used is checked on the way.
        ["Keyserver__PublicUrl"] = PublicUrl,
    };

    [GeneratedRegex(@"https://keys\.example\.test/(verify|manage)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
