namespace SifSign.Hkp;

/// <summary>One key of a machine-readable HKP index (<c>pub:</c> line and its <c>uid:</c> lines).</summary>
/// <param name="KeyId">Field 2 of the <c>pub</c> line: fingerprint or key ID, upper-case hex.</param>
/// <param name="Algorithm">OpenPGP public-key algorithm number, or null if the server left it empty.</param>
/// <param name="Bits">Key length in bits, or null.</param>
/// <param name="Created">Creation time, or null.</param>
/// <param name="Expires">Expiration time, or null for none.</param>
/// <param name="Flags">Flag letters, lower-case (<c>r</c> revoked, <c>d</c> disabled, <c>e</c> expired).</param>
/// <param name="UserIds">Decoded user IDs.</param>
public sealed record IndexEntry(
    string KeyId,
    int? Algorithm,
    int? Bits,
    DateTimeOffset? Created,
    DateTimeOffset? Expires,
    string Flags,
    IReadOnlyList<string> UserIds);
