using System.Reflection;

namespace Keyserver.Web;

/// <summary>What <c>op=stats</c> says about the running server besides the store's counts.</summary>
internal sealed class ServerInfo(TimeProvider time)
{
    public const string Software = "Keyserver";

    private readonly DateTimeOffset _started = time.GetUtcNow();

    public string Version { get; } =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public TimeSpan Uptime => time.GetUtcNow() - _started;
}
