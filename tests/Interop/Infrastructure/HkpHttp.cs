namespace Interop.Tests.Infrastructure;

/// <summary>Plain HKP calls for tests that need the server's answer, not a particular client's wire format.</summary>
public static class HkpHttp
{
    /// <summary>POST /pks/add with the form field <c>keytext</c>, encoded as a browser would.</summary>
    public static Task<HttpResponseMessage> AddAsync(this HttpClient http, string armored) =>
        http.PostAsync(
            new Uri("pks/add", UriKind.Relative),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("keytext", armored)]));

    /// <summary>GET /pks/lookup?op=get&amp;options=mr for a fingerprint or key ID (hex, without 0x).</summary>
    public static Task<HttpResponseMessage> GetKeyAsync(this HttpClient http, string hex) =>
        http.GetAsync(new Uri($"pks/lookup?op=get&options=mr&search=0x{hex}", UriKind.Relative));

    /// <summary>GET /pks/lookup?op=index&amp;options=mr for a search term (URL-escaped here).</summary>
    public static Task<HttpResponseMessage> IndexAsync(this HttpClient http, string search) =>
        http.GetAsync(new Uri($"pks/lookup?op=index&options=mr&search={Uri.EscapeDataString(search)}", UriKind.Relative));

    /// <summary>"STATUS Reason: body", for assertion messages.</summary>
    public static async Task<string> DescribeAsync(this HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync()}";
}
