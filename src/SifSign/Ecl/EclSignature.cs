namespace SifSign.Ecl;

/// <summary>One signature object of the image as the caller's verifier saw it.</summary>
/// <param name="GroupId">The object group the signature is linked to.</param>
/// <param name="Fingerprint">The 40-hex OpenPGP fingerprint from the signature descriptor; empty for DSSE signatures.</param>
/// <param name="Verified">True when the signature checked with the global keyring; false when it failed only
/// because its key is unknown there (Apptainer's ignored <c>SignatureNotValidError</c>).</param>
public sealed record EclSignature(uint GroupId, string Fingerprint, bool Verified);
