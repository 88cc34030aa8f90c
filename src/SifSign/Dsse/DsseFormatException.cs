namespace SifSign.Dsse;

/// <summary>The bytes are not a usable DSSE envelope.</summary>
public sealed class DsseFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DsseFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
