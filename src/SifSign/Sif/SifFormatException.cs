namespace SifSign.Sif;

/// <summary>
/// The bytes of a file are not a valid SIF image (truncated, wrong magic or version, descriptors or
/// objects outside the file, overlapping objects, negative sizes, ...).
/// </summary>
public sealed class SifFormatException : SifException
{
    /// <summary>Creates an exception with no message.</summary>
    public SifFormatException()
    {
    }

    /// <summary>Creates an exception with a user-facing message.</summary>
    public SifFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a user-facing message and the underlying cause.</summary>
    public SifFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
