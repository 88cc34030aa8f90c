namespace SifSign.Pki;

/// <summary>A certificate file did not load, or a certificate chain did not validate (Apptainer's verify --certificate).</summary>
public sealed class CertificateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CertificateException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
