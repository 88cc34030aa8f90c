namespace SifSign.Ecl;

/// <summary>How an execution group judges an image's signers (Apptainer's internal/pkg/syecl).</summary>
public enum EclMode
{
    /// <summary>At least one listed key signed every group and verified.</summary>
    Whitelist,

    /// <summary>Every listed key signed every group and verified.</summary>
    Whitestrict,

    /// <summary>No listed key signed anything, verified or not.</summary>
    Blacklist,
}
