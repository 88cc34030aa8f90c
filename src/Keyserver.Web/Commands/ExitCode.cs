namespace Keyserver.Web.Commands;

/// <summary>Exit codes of the maintenance commands.</summary>
internal enum ExitCode
{
    Success = 0,

    /// <summary>A file could not be read or written, or the server is not healthy.</summary>
    Failure = 1,

    /// <summary>The configuration is invalid.</summary>
    Configuration = 3,

    /// <summary>The database file is damaged (<c>check</c>, <c>repair</c>).</summary>
    StoreDamaged = 4,
}
