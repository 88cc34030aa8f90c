namespace SifSign.Ecl;

/// <summary>The ECL configuration does not parse or does not validate; the message is the first error.</summary>
public sealed class EclConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EclConfigException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
