namespace Keyserver.Web.Options;

/// <summary>The local control socket the maintenance commands reach a running server by (section <c>Control</c>).</summary>
internal sealed class ControlOptions
{
    public const string Section = "Control";

    public const string DefaultFileName = "control.sock";

    /// <summary>Listen on the control socket; without it the commands need the server stopped.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Unix socket's path; empty puts <c>control.sock</c> in <c>Storage:DataDirectory</c>. Relative paths are resolved against the content root.</summary>
    public string Socket { get; set; } = "";

    public string ResolveSocketPath(StorageOptions storage, string contentRoot) => Socket.Length > 0
        ? Path.GetFullPath(Socket, contentRoot)
        : Path.Combine(Path.GetFullPath(storage.DataDirectory, contentRoot), DefaultFileName);

    /// <summary>Reads both sections from configuration, without a service container (the host is still being built).</summary>
    public static (bool Enabled, string Path) FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var control = configuration.GetSection(Section).Get<ControlOptions>() ?? new ControlOptions();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        return (control.Enabled && !string.IsNullOrWhiteSpace(storage.DataDirectory), control.ResolveSocketPath(storage, contentRoot));
    }
}
