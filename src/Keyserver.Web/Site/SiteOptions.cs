using System.Globalization;
using System.Text.RegularExpressions;

namespace Keyserver.Web.Site;

/// <summary>
/// Who runs this server, as the portal shows it (section <c>Site</c>): name, logo, accent colour,
/// footer links and a welcome text. Every key is optional; the defaults describe an anonymous server.
/// </summary>
internal sealed partial class SiteOptions
{
    public const string Section = "Site";

    public const int MaxWelcomeLength = 600;

    public const long MaxLogoBytes = 256 * 1024;

    private static readonly string[] LogoExtensions = [".svg", ".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>The organisation (or server) name shown in the header, titles and footer.</summary>
    public string Name { get; set; } = "Keyserver";

    /// <summary>An image file shown beside the name; relative paths are resolved against the content root.</summary>
    public string? LogoFile { get; set; }

    /// <summary>Links and buttons colour, <c>#rrggbb</c>; it must be readable on white and under white text.</summary>
    public string? AccentColor { get; set; }

    public string? PrivacyUrl { get; set; }

    public string? ImprintUrl { get; set; }

    /// <summary>A <c>mailto:</c> or https address; also the <c>Contact</c> of <c>/.well-known/security.txt</c>.</summary>
    public string? ContactUrl { get; set; }

    /// <summary>A short text at the top of the home page.</summary>
    public string? Welcome { get; set; }

    /// <summary>Null when valid, else a message naming the offending key.</summary>
    public string? Problem(string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 80)
        {
            return "Site:Name must be between 1 and 80 characters.";
        }

        if (AccentColor is { Length: > 0 } color)
        {
            if (!HexColor().IsMatch(color))
            {
                return "Site:AccentColor must be a colour as #rrggbb, for example #0b57d0.";
            }

            // WCAG 2.1 §1.4.3: links on white and white button text on the accent need 4.5:1.
            if (ContrastWithWhite(color) < 4.5)
            {
                return $"Site:AccentColor {color} is too light: white text on it and links in it on white need a contrast of at least 4.5:1.";
            }
        }

        foreach (var (key, value, mailto) in new[] { ("PrivacyUrl", PrivacyUrl, false), ("ImprintUrl", ImprintUrl, false), ("ContactUrl", ContactUrl, true) })
        {
            if (!string.IsNullOrEmpty(value) && !IsLink(value, mailto))
            {
                return mailto
                    ? $"Site:{key} must be a mailto: address or an absolute http(s) URL."
                    : $"Site:{key} must be an absolute http(s) URL or a path on this server starting with /.";
            }
        }

        if (Welcome is { Length: > MaxWelcomeLength })
        {
            return string.Create(CultureInfo.InvariantCulture, $"Site:Welcome must be at most {MaxWelcomeLength} characters.");
        }

        if (!string.IsNullOrEmpty(LogoFile))
        {
            var path = LogoPath(contentRoot)!;
            if (!LogoExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            {
                return "Site:LogoFile must be an .svg, .png, .jpg or .webp image.";
            }

            if (!File.Exists(path))
            {
                return $"Site:LogoFile {path} does not exist.";
            }

            if (new FileInfo(path).Length > MaxLogoBytes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"Site:LogoFile must be at most {MaxLogoBytes} bytes.");
            }
        }

        return null;
    }

    public string? LogoPath(string contentRoot) =>
        string.IsNullOrEmpty(LogoFile) ? null : Path.GetFullPath(LogoFile, contentRoot);

    public string LogoContentType => Path.GetExtension(LogoFile ?? "").ToLowerInvariant() switch
    {
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".webp" => "image/webp",
        _ => "image/jpeg",
    };

    /// <summary>The contrast ratio of a #rrggbb colour with white (WCAG 2.1, "contrast ratio" and "relative luminance").</summary>
    public static double ContrastWithWhite(string color)
    {
        static double Channel(string hex)
        {
            var c = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(color[1..3])) + (0.7152 * Channel(color[3..5])) + (0.0722 * Channel(color[5..7]));
        return 1.05 / (luminance + 0.05);
    }

    private static bool IsLink(string value, bool allowMailto)
    {
        if (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) && !allowMailto)
        {
            return !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) && Uri.TryCreate(value, UriKind.Relative, out _);
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || (allowMailto && uri.Scheme == Uri.UriSchemeMailto));
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}
