namespace SifSign.Tests.Hkp;

/// <summary>An in-test keyserver: records requests and answers from a function; no sockets.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Uri, string? Body)> Requests { get; } = [];

    public static HttpResponseMessage Text(HttpStatusCode status, string body, string? nextPageToken = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
        if (nextPageToken is not null)
        {
            response.Headers.Add("X-HKP-Next-Page-Token", nextPageToken);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, body));
        return respond(request);
    }
}
