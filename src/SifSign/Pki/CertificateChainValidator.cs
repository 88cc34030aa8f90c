using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SifSign.Pki;

/// <summary>
/// Builds and checks the chain of <c>verify --certificate</c> (Apptainer's cmd/internal/cli/verify.go, --certificate): leaf + optional intermediates to the
/// given roots (or the system roots), at the current time, every certificate with an EKU extension allowing code
/// signing. Key usage bits are not enforced, as in Go. Revocation is <see cref="OcspChecker"/>'s job.
/// </summary>
public sealed class CertificateChainValidator
{
    /// <summary>The code-signing extended key usage, 1.3.6.1.5.5.7.3.3.</summary>
    public const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    private readonly TimeProvider time;

    /// <summary>Creates a validator that checks validity periods against <paramref name="time"/> (default: the system clock).</summary>
    public CertificateChainValidator(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <summary>Validates the chain and returns it with the leaf's verification key.</summary>
    /// <param name="leaf">The signer's certificate.</param>
    /// <param name="intermediates">Untrusted certificates that may complete the path.</param>
    /// <param name="roots">Trust anchors; null means the system roots. Any certificate given here is trusted as an
    /// anchor, even an intermediate (as Go's crypto/x509 Verify does, by design).</param>
    /// <exception cref="CertificateException">No valid chain; the message names the certificate and the reason.</exception>
    public CertificateChainResult Validate(
        X509Certificate2 leaf, IEnumerable<X509Certificate2>? intermediates, IEnumerable<X509Certificate2>? roots)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = time.GetUtcNow().UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (intermediates is not null)
        {
            policy.ExtraStore.AddRange(intermediates.ToArray());
        }

        var anchors = roots?.ToArray();
        if (anchors is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(anchors);
        }

        if (!chain.Build(leaf) && !EndsAtSuppliedAnchor(chain, anchors))
        {
            throw new CertificateException(Describe(chain, leaf));
        }

        // The EKU rule is checked here rather than by X509Chain's application policy, which rejects
        // anyExtendedKeyUsage where Go accepts it.
        var certificates = chain.ChainElements.Select(e => e.Certificate).ToList();
        if (certificates.FirstOrDefault(c => !AllowsCodeSigning(c)) is { } restricted)
        {
            throw new CertificateException(
                $"x509: certificate {restricted.Subject}: certificate specifies an incompatible key usage (code signing is required)");
        }
        PemVerificationKey key;
        try
        {
            key = PemKeys.FromSubjectPublicKeyInfo(leaf.PublicKey.ExportSubjectPublicKeyInfo());
        }
        catch (PemKeyException ex)
        {
            throw new CertificateException($"certificate {leaf.Subject}: {ex.Message}", ex);
        }

        return new CertificateChainResult(certificates, key);
    }

    /// <summary>
    /// Go trusts every certificate of the roots file as an anchor, even one that is not self-signed (an
    /// intermediate, as Go's crypto/x509 Verify does). .NET only anchors at self-signed roots and reports such a chain as partial, so
    /// accept it when that is the only complaint and the chain stops at a supplied anchor.
    /// </summary>
    private static bool EndsAtSuppliedAnchor(X509Chain chain, X509Certificate2[]? anchors)
    {
        const X509ChainStatusFlags partial = X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot;
        var flags = chain.ChainElements.SelectMany(e => e.ChainElementStatus).Concat(chain.ChainStatus)
            .Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        return anchors is { Length: > 0 }
            && (flags & ~partial) == X509ChainStatusFlags.NoError
            && chain.ChainElements.Count > 0
            && anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(chain.ChainElements[^1].Certificate.RawDataMemory.Span));
    }

    /// <summary>Go's rule: a certificate with an EKU extension must allow code signing or any usage.</summary>
    private static bool AllowsCodeSigning(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is not { } eku
        || eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is CodeSigningOid or AnyExtendedKeyUsageOid);

    private string Describe(X509Chain chain, X509Certificate2 leaf)
    {
        // Report the most specific problem on the certificate closest to the leaf.
        foreach (var element in chain.ChainElements)
        {
            var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            var reason = Reason(flags, element.Certificate);
            if (reason is not null)
            {
                return $"x509: certificate {element.Certificate.Subject}: {reason}";
            }
        }

        var chainFlags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        return $"x509: certificate {leaf.Subject}: "
            + (Reason(chainFlags, leaf) ?? string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));
    }

    private string? Reason(X509ChainStatusFlags flags, X509Certificate2 certificate)
    {
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var notBefore = certificate.NotBefore.ToUniversalTime();
            return now < notBefore
                ? string.Create(CultureInfo.InvariantCulture, $"certificate is not yet valid: current time {now:u} is before {notBefore:u}")
                : string.Create(CultureInfo.InvariantCulture, $"certificate has expired: current time {now:u} is after {certificate.NotAfter.ToUniversalTime():u}");
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotValidForUsage))
        {
            return "certificate specifies an incompatible key usage (code signing is required)";
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotSignatureValid))
        {
            return "certificate signature is invalid";
        }

        if (flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return "certificate signed by unknown authority (no path to a trusted root; is an intermediate missing?)";
        }

        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            return "certificate signed by unknown authority (the root is not trusted)";
        }

        if (flags.HasFlag(X509ChainStatusFlags.InvalidBasicConstraints))
        {
            return "certificate is used as a CA but is not one (basic constraints)";
        }

        return flags == X509ChainStatusFlags.NoError ? null : $"chain status {flags}";
    }
}
