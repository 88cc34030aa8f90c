namespace Interop.Tests.Verification;

/// <summary>
/// A cookie-aware HTTP client for the portal's server-rendered forms: GET a page, read its form
/// (action, hidden inputs such as <c>__RequestVerificationToken</c> and <c>_handler</c>) from the HTML,
/// and POST it back as a browser would.
/// </summary>
internal sealed partial class PortalClient : IDisposable
{
    private readonly HttpClient _client;

    public PortalClient(Uri baseUri)
        : this(baseUri, new SocketsHttpHandler())
    {
    }

    /// <summary>A client over <paramref name="handler"/> (a Unix socket, say); cookies and redirects are set here.</summary>
    public PortalClient(Uri baseUri, SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.CookieContainer = new CookieContainer();
        handler.AllowAutoRedirect = false;
        _client = new HttpClient(handler) { BaseAddress = baseUri };
    }

    public HttpClient Http => _client;

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Posts the first form of <paramref name="html"/> (fetched from <paramref name="pagePath"/>) with its
    /// hidden fields and <paramref name="fields"/>; <paramref name="withoutToken"/> leaves the antiforgery
    /// token out.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Html)> SubmitAsync(
        string pagePath, string html, IEnumerable<KeyValuePair<string, string>>? fields = null, bool withoutToken = false)
    {
        var form = Form().Match(html);
        Assert.True(form.Success, $"no post form on {pagePath}:\n{html}");
        var action = WebUtility.HtmlDecode(Attribute(form.Groups["attrs"].Value, "action") ?? pagePath);
        var values = new List<KeyValuePair<string, string>>();
        foreach (Match input in Input().Matches(form.Groups["body"].Value))
        {
            var attrs = input.Groups["attrs"].Value;
            if (Attribute(attrs, "type") == "hidden" && Attribute(attrs, "name") is { } name)
            {
                if (withoutToken && name == AntiforgeryField)
                {
                    continue;
                }

                values.Add(new(name, WebUtility.HtmlDecode(Attribute(attrs, "value") ?? "")));
            }
        }

        values.AddRange(fields ?? []);
        using var content = new FormUrlEncodedContent(values);
        using var response = await _client.PostAsync(new Uri(action, UriKind.RelativeOrAbsolute), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Blanks what is random per response so two pages can be compared byte for byte: antiforgery token
    /// values and Blazor's persisted component state (encrypted with a fresh nonce every time).
    /// </summary>
    public static string WithoutRandomParts(string html) =>
        ComponentState().Replace(TokenValue().Replace(html, "${before}${after}"), "${before}${after}");

    public const string AntiforgeryField = "__RequestVerificationToken";

    public void Dispose() => _client.Dispose();

    private static string? Attribute(string attributes, string name)
    {
        var match = Regex.Match(attributes, $@"(?:^|\s){name}=""(?<v>[^""]*)""", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["v"].Value : null;
    }

    [GeneratedRegex(@"<form(?<attrs>[^>]*\bmethod=""post""[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    [GeneratedRegex(@"<input(?<attrs>[^>]*)/?>", RegexOptions.IgnoreCase)]
    private static partial Regex Input();

    [GeneratedRegex(@"(?<before>name=""__RequestVerificationToken""[^>]*?value="")[^""]*(?<after>"")")]
    private static partial Regex TokenValue();

    [GeneratedRegex(@"(?<before><!--Blazor-Server-Component-State:)[A-Za-z0-9+/=]*(?<after>-->)")]
    private static partial Regex ComponentState();
}
