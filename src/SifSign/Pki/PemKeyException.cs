namespace SifSign.Pki;

/// <summary>A PEM key could not be loaded or generated; the message says why in terms a user can act on.</summary>
public sealed class PemKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PemKeyException(PemKeyError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>The class of failure.</summary>
    public PemKeyError Error { get; }
}
