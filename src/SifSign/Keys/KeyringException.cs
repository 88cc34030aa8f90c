namespace SifSign.Keys;

/// <summary>A keyring or key file could not be read, written or changed; the message is for the user.</summary>
public sealed class KeyringException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public KeyringException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the underlying cause.</summary>
    public KeyringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public KeyringException()
    {
    }
}
