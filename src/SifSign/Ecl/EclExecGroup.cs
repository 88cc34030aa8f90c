namespace SifSign.Ecl;

/// <summary>One <c>[[execgroup]]</c> of the ECL.</summary>
/// <param name="TagName">The label.</param>
/// <param name="Mode">How the group judges signers.</param>
/// <param name="DirPath">The directory whose images the group governs; empty for the fallback group.</param>
/// <param name="KeyFingerprints">The listed OpenPGP v4 fingerprints, 40 hex digits as written in the file.</param>
public sealed record EclExecGroup(string TagName, EclMode Mode, string DirPath, IReadOnlyList<string> KeyFingerprints);
