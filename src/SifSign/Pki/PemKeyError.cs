namespace SifSign.Pki;

/// <summary>Why a PEM key could not be loaded; lets a caller react (for example prompt for a passphrase).</summary>
public enum PemKeyError
{
    /// <summary>The text is not PEM, or a block does not decode.</summary>
    Malformed,

    /// <summary>The PEM holds something other than the expected key kind (a certificate, a public key where a private one is expected, …).</summary>
    WrongKind,

    /// <summary>The key is encrypted and no passphrase was given.</summary>
    PassphraseRequired,

    /// <summary>The passphrase does not decrypt the key.</summary>
    WrongPassphrase,

    /// <summary>A well-formed key of an algorithm, curve or encryption scheme this tool does not support.</summary>
    Unsupported,
}
