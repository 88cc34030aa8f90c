namespace SifSign.Integrity;

/// <summary>
/// Signing or verification could not proceed (no groups, object or group not found, key of the wrong
/// kind, malformed signature data, ...). Carries the structured <see cref="Error"/> when there is one.
/// </summary>
public sealed class IntegrityException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public IntegrityException()
    {
    }

    /// <summary>Creates an exception with a user-facing message.</summary>
    public IntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a user-facing message and the underlying cause.</summary>
    public IntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a structured integrity error; the message is the error's message.</summary>
    public IntegrityException(IntegrityError error)
        : base(error?.Message)
    {
        Error = error;
    }

    /// <summary>The structured error, when the failure is one of the reference's integrity errors.</summary>
    public IntegrityError? Error { get; }
}
