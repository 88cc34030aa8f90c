using System.Net.Http.Headers;
using System.Text;
using SifSign.Hkp;

namespace SifSign.Cli;

/// <summary>Which keyserver a command talks to, and the HKP client for it.</summary>
internal static class Keyservers
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The configuration file: <paramref name="path"/> (<c>keyserver --config</c>), else the default location.</summary>
    /// <exception cref="CliException">No path given and no usable home or XDG_CONFIG_HOME.</exception>
    public static KeyserverConfig Config(CliContext context, string? path = null) =>
        new(!string.IsNullOrWhiteSpace(path) ? Path.GetFullPath(path)
            : KeyserverConfig.DefaultPath(context.GetEnvironmentVariable, context.HomeDirectory)
            ?? throw new CliException("no configuration directory: HOME is unset or does not exist; pass --config FILE or set XDG_CONFIG_HOME to an absolute path"));

    /// <summary>The configuration file at its default location, or null when there is none (no home directory).</summary>
    public static KeyserverConfig? DefaultConfig(CliContext context) =>
        KeyserverConfig.DefaultPath(context.GetEnvironmentVariable, context.HomeDirectory) is { } path ? new KeyserverConfig(path) : null;

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

        return DefaultConfig(context)?.Read().FirstOrDefault();
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

    /// <summary>
    /// A client for <paramref name="url"/>. What <c>keyserver add --insecure</c> and <c>keyserver login</c>
    /// stored for exactly this URL applies: credentials go (HTTP Basic, RFC 7617) to this keyserver only.
    /// </summary>
    public static HkpClient CreateClientFor(string url, CliContext context)
    {
        if (!KeyserverAddress.TryParse(url, out var baseAddress, out var error))
        {
            throw new CliException(error!);
        }

        var config = DefaultConfig(context);
        var insecure = config?.IsInsecure(url) ?? false;
        var credentials = config?.FindCredentials(url);
        var handler = insecure && context.CreateInsecureHttpHandler is { } createInsecure ? createInsecure() : context.CreateHttpHandler();
        var http = new HttpClient(handler) { Timeout = RequestTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("sifsign/1.0");
        if (credentials is not null)
        {
            // HttpClient drops Authorization on redirects, so the password never follows one elsewhere.
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return new HkpClient(http, baseAddress!);
    }
}
