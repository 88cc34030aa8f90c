using System.Globalization;
using System.Net;
using System.Text;
using Keyserver.Core.Verification;
using Keyserver.Web.Verification;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Keyserver.Web.Mail;

/// <summary>
/// Builds the verification and manage mails: plain text with an HTML alternative. Nothing a
/// stranger wrote goes into a mail except the recipient's own address (which is checked to be a
/// plain dot-atom address): no user ID text, so no attacker-chosen line can stand above the link.
/// The link stands on a line of its own in the text part.
/// </summary>
internal sealed class MailComposer(IOptions<PublicUrlOptions> publicUrl, IOptions<MailOptions> mail, TimeProvider time)
{
    public MimeMessage Compose(MailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var baseUrl = publicUrl.Value.BaseUrl;
        var host = new Uri(baseUrl).Host;
        var expires = request.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        string subject, link;
        var lines = new List<string> { $"This is an automated message from {host}." };
        if (request.Kind == MailKind.Verify)
        {
            link = $"{baseUrl}/verify/{request.Token}";
            subject = $"Verify {request.To} for OpenPGP key {request.Fingerprint}";
            lines.AddRange(
            [
                $"OpenPGP key: {request.Fingerprint}",
                "",
                $"To let others find this key from your address {request.To}, open the link below and press Publish:",
            ]);
        }
        else if (request.Kind == MailKind.AdminSignIn)
        {
            link = $"{baseUrl}/admin/signin/{request.Token}";
            subject = $"Sign in to the admin console of {host}";
            lines.AddRange(["", $"To sign in to the admin console as {request.To}, open the link below and press Sign in. It works once."]);
        }
        else
        {
            link = $"{baseUrl}/manage/{request.Token}";
            subject = $"Manage the OpenPGP keys of {request.To}";
            lines.AddRange(["", $"To withdraw identities of {request.To} or delete keys, open the link below:"]);
        }

        lines.AddRange(
        [
            link,
            "",
            $"The link works until {expires}.",
            "If you did not ask for this, ignore this message: nothing is published without your confirmation.",
        ]);

        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var line in lines)
        {
            html.Append(line == link
                ? $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p>"
                : line.Length == 0 ? "" : $"<p>{WebUtility.HtmlEncode(line)}</p>");
        }

        html.Append("</body></html>");
        var message = new MimeMessage
        {
            Subject = subject,
            Date = time.GetUtcNow(),
            Body = new BodyBuilder { TextBody = string.Join("\n", lines) + "\n", HtmlBody = html.ToString() }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(mail.Value.From));
        message.To.Add(MailboxAddress.Parse(request.To));
        return message;
    }

    /// <summary>The link line of a composed message's text part: the only absolute URL in it.</summary>
    public static string? LinkOf(MimeMessage message) =>
        message.TextBody?.Split('\n').Select(l => l.TrimEnd('\r'))
            .FirstOrDefault(l => Uri.TryCreate(l, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps));
}
