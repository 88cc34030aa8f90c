namespace SifSign.Pki;

/// <summary>One decoded PEM block.</summary>
internal sealed record PemBlock(string Label, byte[] Data);
