namespace SifSign.Integrity;

/// <summary>What to sign (sylabs/sif pkg/integrity sign.go options). With neither ID set, every object group gets one signature.</summary>
/// <param name="GroupId">Sign only this group, covering all its objects (<c>--group-id</c>).</param>
/// <param name="ObjectId">Sign only this object; the signature still links to its group (<c>--sif-id</c>).</param>
/// <param name="Time">Clock for signature and descriptor times; null uses the system clock.</param>
public sealed record SignOptions(uint? GroupId = null, uint? ObjectId = null, TimeProvider? Time = null)
{
    /// <summary>
    /// Leave the new descriptors' times and the header modification time unset (Go's
    /// <c>OptSignDeterministic</c>), so signing a deterministic image at a fixed time stays reproducible.
    /// </summary>
    public bool Deterministic { get; init; }

    /// <summary>
    /// More objects to sign besides <see cref="ObjectId"/> (Go's <c>OptSignObjects(ids…)</c>): they are
    /// split by group, one signature per group covering only the listed objects.
    /// </summary>
    public IReadOnlyList<uint>? ObjectIds { get; init; }

    /// <summary>
    /// Stops the sign (an <see cref="OperationCanceledException"/>) between hashed chunks and between the
    /// write steps of the append; a sign stopped after it started writing is rolled back, so the image
    /// is left byte for byte as it was.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }
}
