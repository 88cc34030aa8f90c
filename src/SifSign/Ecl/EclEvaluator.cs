namespace SifSign.Ecl;

/// <summary>
/// Applies an ECL to an image (Apptainer <c>syecl.ShouldRun</c>). Pure: the caller verifies the image
/// with the global keyring and passes what it found.
/// </summary>
public static class EclEvaluator
{
    /// <summary>
    /// The group governing <paramref name="imagePath"/>: the one whose dirpath equals the image's directory, else
    /// the first with an empty dirpath, else null. The path is compared as given (made absolute), as Apptainer
    /// compares the path it opened.
    /// </summary>
    public static EclExecGroup? SelectGroup(EclConfig config, string imagePath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(imagePath)) ?? Path.DirectorySeparatorChar.ToString();
        return config.ExecGroups.FirstOrDefault(g => string.Equals(g.DirPath, directory, StringComparison.Ordinal))
            ?? config.ExecGroups.FirstOrDefault(g => g.DirPath.Length == 0);
    }

    /// <summary>Decides whether <paramref name="imagePath"/> may run.</summary>
    public static EclDecision Evaluate(EclConfig config, string imagePath, EclImageSignatures signatures)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(signatures);
        if (!config.Activated)
        {
            return new EclDecision(true, "ECL not activated", null);
        }

        var group = SelectGroup(config, imagePath);
        if (group is null)
        {
            return new EclDecision(false, $"{imagePath} not part of any execgroup", null);
        }

        if (signatures.VerificationError is { } error)
        {
            return new EclDecision(false, $"image signature not valid: {error}", group);
        }

        // Apptainer's Verify() fails before any rule runs when nothing is signed, so blacklist blocks this too.
        if (signatures.Signatures.Count == 0)
        {
            return new EclDecision(false, "image signature not valid: image is not signed", group);
        }

        var unvalidated = signatures.Unvalidated();
        return group.Mode switch
        {
            EclMode.Whitelist => Whitelist(group, signatures.AllSignedBy(), unvalidated),
            EclMode.Whitestrict => Whitestrict(group, signatures.AllSignedBy(), unvalidated),
            _ => Blacklist(group, signatures.AnySignedBy()),
        };
    }

    private static EclDecision Whitelist(EclExecGroup group, IReadOnlySet<string> allSignedBy, IReadOnlySet<string> unvalidated)
    {
        var signer = group.KeyFingerprints.FirstOrDefault(fp => allSignedBy.Contains(fp) && !unvalidated.Contains(fp));
        return signer is null
            ? Prohibited(group, "image not signed by required entities")
            : new EclDecision(true, $"signed by {signer.ToUpperInvariant()} (execgroup {group.TagName}, whitelist)", group);
    }

    private static EclDecision Whitestrict(EclExecGroup group, IReadOnlySet<string> allSignedBy, IReadOnlySet<string> unvalidated)
    {
        var missing = group.KeyFingerprints.FirstOrDefault(fp => !allSignedBy.Contains(fp) || unvalidated.Contains(fp));
        return missing is null
            ? new EclDecision(true, $"signed by every listed entity (execgroup {group.TagName}, whitestrict)", group)
            : Prohibited(group, $"image not signed by required entities (missing a verified signature by {missing.ToUpperInvariant()})");
    }

    private static EclDecision Blacklist(EclExecGroup group, IReadOnlySet<string> anySignedBy)
    {
        var forbidden = group.KeyFingerprints.FirstOrDefault(anySignedBy.Contains);
        return forbidden is null
            ? new EclDecision(true, $"no forbidden signer (execgroup {group.TagName}, blacklist)", group)
            : Prohibited(group, $"image signed by a forbidden entity ({forbidden.ToUpperInvariant()})");
    }

    private static EclDecision Prohibited(EclExecGroup group, string reason) =>
        new(false, $"image prohibited by ECL: {reason} (execgroup {group.TagName})", group);
}
