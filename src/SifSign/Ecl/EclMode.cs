namespace SifSign.Ecl;

/// <summary>How an execution group judges an image's signers (sif.md §6).</summary>
public enum EclMode
{
    /// <summary>At least one listed key signed every group and verified.</summary>
    Whitelist,

    /// <summary>Every listed key signed every group and verified.</summary>
    Whitestrict,

    /// <summary>No listed key signed anything, verified or not.</summary>
    Blacklist,
}
