namespace SifSign.Dsse;

/// <summary>An envelope parsed but did not verify with the keys supplied.</summary>
public sealed class DsseVerificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DsseVerificationException(string message)
        : base(message)
    {
    }
}
