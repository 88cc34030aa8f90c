namespace SifSign.Sif;

/// <summary>
/// An operation on a SIF image failed (object not found, no descriptor capacity, unwritable file, ...).
/// The message is meant for users and follows the wording of the reference implementation.
/// </summary>
public class SifException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public SifException()
    {
    }

    /// <summary>Creates an exception with a user-facing message.</summary>
    public SifException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a user-facing message and the underlying cause.</summary>
    public SifException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
