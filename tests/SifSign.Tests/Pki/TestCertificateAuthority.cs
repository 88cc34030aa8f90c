namespace SifSign.Tests.Pki;

/// <summary>A throw-away CA made with .NET's CertificateRequest, for chain and OCSP tests.</summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private int _serial = 100;

    private TestCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }

    public ECDsa Key { get; }

    /// <summary>The CA's private key for BouncyCastle (to sign OCSP responses).</summary>
    public AsymmetricKeyParameter BouncyCastlePrivateKey => PrivateKeyFactory.CreateKey(Key.ExportPkcs8PrivateKey());

    public Org.BouncyCastle.X509.X509Certificate BouncyCastleCertificate => new(Certificate.RawData);

    public static TestCertificateAuthority CreateRoot(string name = "CN=Test Root")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new TestCertificateAuthority(request.CreateSelfSigned(Now.AddYears(-10), Now.AddYears(10)), key);
    }

    public TestCertificateAuthority CreateIntermediate(string name = "CN=Test Intermediate", string? ocspUrl = null, string[]? ekus = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        AddCommon(request, ocspUrl, ekus);
        var certificate = Issue(request, Now.AddYears(-5), Now.AddYears(5), NextSerial()).CopyWithPrivateKey(key);
        return new TestCertificateAuthority(certificate, key);
    }

    /// <summary>Issues an end-entity certificate with an RSA key; its private key comes back as PKCS#8 PEM.</summary>
    public (X509Certificate2 Certificate, string PrivateKeyPem) IssueLeaf(
        string name = "CN=Test Signer",
        string[]? ekus = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        string? ocspUrl = null,
        bool noEku = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        AddCommon(request, ocspUrl, noEku ? null : ekus ?? [CodeSigning]);
        var certificate = Issue(request, notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddYears(1), NextSerial());
        return (certificate, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Issues a delegated OCSP responder certificate (ECDSA) with its key.</summary>
    public (X509Certificate2 Certificate, ECDsa Key) IssueResponder(string name, string[] ekus)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        AddCommon(request, null, ekus);
        return (Issue(request, Now.AddDays(-1), Now.AddYears(1), NextSerial()), key);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    private void AddCommon(CertificateRequest request, string? ocspUrl, string[]? ekus)
    {
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (ekus is not null)
        {
            var oids = new OidCollection();
            foreach (var eku in ekus)
            {
                oids.Add(new Oid(eku));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        if (ocspUrl is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl], null));
        }
    }

    private X509Certificate2 Issue(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial) =>
        request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Key), notBefore, notAfter, serial);

    private byte[] NextSerial() => BitConverter.GetBytes(Interlocked.Increment(ref _serial)).Reverse().ToArray();
}
