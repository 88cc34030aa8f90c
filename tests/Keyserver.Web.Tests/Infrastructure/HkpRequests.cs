namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>The requests HKP clients make, as test one-liners.</summary>
internal static class HkpRequests
{
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string body) =>
        client.PostAsync(new Uri("/pks/add", UriKind.Relative), new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, byte[] body, string contentType = "application/pgp-keys")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync(new Uri("/pks/add", UriKind.Relative), content);
    }

    /// <summary>Uploads a key as gpg does and checks the server took it.</summary>
    public static async Task UploadAsync(this HttpClient client, TestKey key)
    {
        using var response = await client.PostFormAsync(ClientEncodings.Gpg(key.Armored));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.StartsWith(key.Fingerprint + " added", body, StringComparison.Ordinal);
    }

    public static Task<HttpResponseMessage> LookupAsync(this HttpClient client, string query) =>
        client.GetAsync(new Uri("/pks/lookup?" + query, UriKind.Relative));

    public static string Escape(string text) => Uri.EscapeDataString(text);
}
