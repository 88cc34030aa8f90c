namespace Keyserver.Web.Hosting;

/// <summary>
/// Holds back the generic host's own "Hosting failed to start" error (with its stack trace) until the
/// server has started: until then <see cref="StartupFailure"/> reports a failure in one line. After
/// start-up the host's errors (a background service that crashed) are logged as usual.
/// </summary>
internal sealed class StartupLogGate
{
    /// <summary>The logger category of Microsoft.Extensions.Hosting's Host class.</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    public bool IsStarted => _started;

    public void Open() => _started = true;

    /// <summary>The filter for <see cref="HostCategory"/>: Information and up, errors only once started.</summary>
    public bool Allows(LogLevel level) => level >= LogLevel.Information && (_started || level < LogLevel.Error);
}
