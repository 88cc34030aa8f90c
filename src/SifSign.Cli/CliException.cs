namespace SifSign.Cli;

/// <summary>A command failed in a way the user can fix; the message goes to stderr as is.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException()
    {
    }
}
