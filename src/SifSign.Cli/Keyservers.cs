using SifSign.Hkp;

namespace SifSign.Cli;

/// <summary>Which keyserver a command talks to, and the HKP client for it.</summary>
internal static class Keyservers
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    public static KeyserverConfig Config(CliContext context) =>
        new(KeyserverConfig.DefaultPath(context.GetEnvironmentVariable, context.HomeDirectory));

    /// <summary>The keyserver URL: <c>--url</c>, else <c>$SIFSIGN_KEYSERVER</c>, else the first configured one; null if none.</summary>
    public static string? Find(string? urlOption, CliContext context)
    {
        if (!string.IsNullOrWhiteSpace(urlOption))
        {
            return urlOption;
        }

        var fromEnvironment = context.GetEnvironmentVariable(KeyserverConfig.KeyserverVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        return Config(context).Read().FirstOrDefault();
    }

    /// <summary>A client for the resolved keyserver.</summary>
    /// <exception cref="CliException">No keyserver is configured or its URL is invalid.</exception>
    public static HkpClient CreateClient(string? urlOption, CliContext context)
    {
        var url = Find(urlOption, context)
            ?? throw new CliException(
                "no keyserver configured: pass --url URL, set " + KeyserverConfig.KeyserverVariable
                + "=URL, or run 'sifsign keyserver add URL'");
        return CreateClientFor(url, context);
    }

    public static HkpClient CreateClientFor(string url, CliContext context)
    {
        if (!KeyserverAddress.TryParse(url, out var baseAddress, out var error))
        {
            throw new CliException(error!);
        }

        var http = new HttpClient(context.CreateHttpHandler()) { Timeout = RequestTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("sifsign/1.0");
        return new HkpClient(http, baseAddress!);
    }
}
