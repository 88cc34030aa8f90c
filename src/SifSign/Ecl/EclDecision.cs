namespace SifSign.Ecl;

/// <summary>The ECL's verdict on one image.</summary>
/// <param name="Allowed">True when the image may run.</param>
/// <param name="Reason">Why, in words a user can act on (Apptainer's texts where it has one).</param>
/// <param name="Group">The execution group that judged the image; null when none applied.</param>
public sealed record EclDecision(bool Allowed, string Reason, EclExecGroup? Group);
