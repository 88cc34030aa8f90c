namespace Keyserver.Web.Commands;

/// <summary>
/// <c>healthcheck [URL]</c>: asks a running server's <c>/healthz</c>; exit 0 when it answers 200.
/// The container's HEALTHCHECK uses it because the runtime image has no curl or wget.
/// </summary>
internal sealed class HealthCheckCommand(HttpClient client, TextWriter error)
{
    public const string DefaultUrl = "http://127.0.0.1:11371/healthz";

    public async Task<ExitCode> RunAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return ExitCode.Success;
            }

            await error.WriteLineAsync($"{url}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"{url}: {e.Message}");
        }

        return ExitCode.Failure;
    }
}
