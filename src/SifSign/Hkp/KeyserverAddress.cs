namespace SifSign.Hkp;

/// <summary>
/// Keyserver URLs as users write them: <c>hkp://</c> (HTTP, port 11371 by default),
/// <c>hkps://</c> (HTTPS, port 443), <c>http://</c> and <c>https://</c>.
/// </summary>
public static class KeyserverAddress
{
    /// <summary>The registered HKP port, used when an <c>hkp://</c> URL names none.</summary>
    public const int HkpPort = 11371;

    /// <summary>
    /// Turns a keyserver URL into the HTTP base address requests are made against.
    /// </summary>
    /// <param name="text">The URL.</param>
    /// <param name="baseAddress">The HTTP(S) base address, with a trailing slash.</param>
    /// <param name="error">Why the URL was refused.</param>
    /// <returns>True when the URL is usable.</returns>
    public static bool TryParse(string? text, out Uri? baseAddress, out string? error)
    {
        baseAddress = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "keyserver URL is empty";
            return false;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"invalid keyserver URL '{text}': expected hkp://, hkps://, http:// or https:// followed by a host";
            return false;
        }

        string scheme;
        int port;
        switch (uri.Scheme.ToLowerInvariant())
        {
            case "hkp":
                scheme = Uri.UriSchemeHttp;
                port = uri.IsDefaultPort || uri.Port < 0 ? HkpPort : uri.Port;
                break;
            case "hkps":
                scheme = Uri.UriSchemeHttps;
                port = uri.IsDefaultPort || uri.Port < 0 ? 443 : uri.Port;
                break;
            case "http":
            case "https":
                scheme = uri.Scheme.ToLowerInvariant();
                port = uri.Port;
                break;
            default:
                error = $"invalid keyserver URL '{text}': scheme '{uri.Scheme}' is not one of hkp, hkps, http, https";
                return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            error = $"invalid keyserver URL '{text}': no query, fragment or credentials allowed";
            return false;
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        baseAddress = new UriBuilder(scheme, uri.Host, port, path).Uri;
        return true;
    }
}
