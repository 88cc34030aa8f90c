using SifSign.Integrity;

namespace SifSign.Ecl;

/// <summary>
/// What the caller's verifier found for an image, the input the ECL judges. Keeping the verification itself out
/// of the evaluator keeps the ECL rules pure and testable.
/// </summary>
/// <param name="Signatures">Every group-linked signature examined.</param>
/// <param name="VerificationError">A failure the ECL does not forgive (integrity compromised, a group without a
/// signature, DSSE key material missing, …); null when every signature either verified or was made by a key the
/// keyring does not know.</param>
public sealed record EclImageSignatures(IReadOnlyList<EclSignature> Signatures, string? VerificationError = null)
{
    /// <summary>
    /// The <see cref="VerifyOptions.IgnoreError"/> the ECL verifies with: a signature that does not check (for
    /// example an unknown signer) is recorded as unvalidated instead of failing the image, as Apptainer does.
    /// </summary>
    public static bool ForgivesError(SignatureCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Error?.Kind == IntegrityErrorKind.SignatureNotValid;
    }

    /// <summary>Builds the ECL input from an <see cref="ImageVerifier"/> run made with <see cref="ForgivesError"/>.</summary>
    public static EclImageSignatures FromVerifyResult(VerifyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var signatures = result.Signatures
            .Where(c => c.Error is null || ForgivesError(c))
            .Select(c => new EclSignature(
                c.Signature.IsLinkedToGroup ? c.Signature.LinkedId : 0,
                c.Fingerprint is { } fp ? Convert.ToHexString(fp) : string.Empty,
                c.Error is null))
            .ToList();
        return new EclImageSignatures(signatures, result.Error?.ToString());
    }

    /// <summary>Fingerprints present on the signatures of every signed group (Apptainer's <c>AllSignedBy</c>).</summary>
    public IReadOnlySet<string> AllSignedBy()
    {
        var groups = Signatures.GroupBy(s => s.GroupId).Select(Fingerprints).ToList();
        if (groups.Count == 0)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        var all = groups[0];
        foreach (var group in groups.Skip(1))
        {
            all.IntersectWith(group);
        }

        return all;
    }

    /// <summary>Fingerprints present on any signature (Apptainer's <c>AnySignedBy</c>).</summary>
    public IReadOnlySet<string> AnySignedBy() => Fingerprints(Signatures);

    /// <summary>Fingerprints of signatures that did not verify (unknown key).</summary>
    public IReadOnlySet<string> Unvalidated() => Fingerprints(Signatures.Where(s => !s.Verified));

    private static HashSet<string> Fingerprints(IEnumerable<EclSignature> signatures) =>
        new(signatures.Select(s => s.Fingerprint).Where(f => f.Length > 0), StringComparer.OrdinalIgnoreCase);
}
