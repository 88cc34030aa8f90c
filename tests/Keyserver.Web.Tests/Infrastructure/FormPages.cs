namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>Reads what a portal form posts back from the HTML of its page.</summary>
internal static partial class FormPages
{
    /// <summary>The antiforgery token in the first form of <paramref name="page"/>.</summary>
    public static string AntiforgeryToken(string page, string path = "the page") =>
        AntiforgeryField().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery field on {path}");

    /// <summary>GETs <paramref name="path"/> and returns the antiforgery token of its form.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path) =>
        AntiforgeryToken(await client.GetStringAsync(path), path);

    /// <summary>POSTs a Blazor form: its handler name, the antiforgery token of <paramref name="path"/>'s page and the fields.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, params (string Name, string Value)[] fields)
    {
        var antiforgery = await AntiforgeryTokenAsync(client, path);
        var content = new List<KeyValuePair<string, string>> { new("_handler", handler), new("__RequestVerificationToken", antiforgery) };
        content.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await client.PostAsync(path, new FormUrlEncodedContent(content));
    }

    /// <summary>GETs <paramref name="path"/>, asserts its status is <paramref name="expected"/> and returns its markup.</summary>
    public static async Task<string> GetPageAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
