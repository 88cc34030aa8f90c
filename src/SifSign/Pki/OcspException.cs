namespace SifSign.Pki;

/// <summary>An OCSP check did not prove a certificate good (RFC 6960; as in Apptainer there is no soft failure).</summary>
public sealed class OcspException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OcspException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
