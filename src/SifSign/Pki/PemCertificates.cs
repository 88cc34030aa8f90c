using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SifSign.Pki;

/// <summary>Reads the certificate files of <c>verify --certificate*</c> the way Apptainer does (cmd/internal/cli/verify.go).</summary>
public static class PemCertificates
{
    /// <summary>The leaf: the first PEM block only, which must be a certificate.</summary>
    /// <exception cref="CertificateException">No PEM, a first block that is not a certificate, or bad DER.</exception>
    public static X509Certificate2 LoadLeaf(string pem) => Decode(ReadBlocks(pem)[0]);

    /// <summary>A pool (intermediates or roots): every PEM block, each of which must be a certificate.</summary>
    /// <exception cref="CertificateException">No PEM, or any block that is not a valid certificate.</exception>
    public static IReadOnlyList<X509Certificate2> LoadPool(string pem) => ReadBlocks(pem).Select(Decode).ToList();

    private static List<PemBlock> ReadBlocks(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        try
        {
            return PemText.ReadAll(pem);
        }
        catch (PemKeyException ex)
        {
            throw new CertificateException($"failed to decode PEM: {ex.Message}", ex);
        }
    }

    private static X509Certificate2 Decode(PemBlock block)
    {
        if (block.Label != "CERTIFICATE")
        {
            throw new CertificateException($"failed to decode PEM: expected a CERTIFICATE block, found {block.Label}");
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(block.Data);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateException($"failed to parse certificate: {ex.Message}", ex);
        }
    }
}
