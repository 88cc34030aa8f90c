namespace Keyserver.Web.Commands;

/// <summary>Exit codes of the <c>import</c>, <c>dump</c> and <c>healthcheck</c> commands.</summary>
internal enum ExitCode
{
    Success = 0,

    /// <summary>A file could not be read or written, or the server is not healthy.</summary>
    Failure = 1,

    /// <summary>The configuration is invalid.</summary>
    Configuration = 3,
}
