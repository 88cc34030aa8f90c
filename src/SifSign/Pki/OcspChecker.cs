using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcOcspException = Org.BouncyCastle.Ocsp.OcspException;

namespace SifSign.Pki;

/// <summary>
/// <c>verify --ocsp-verify</c> (RFC 6960): asks each certificate's OCSP responder about it with a SHA-1 CertID,
/// checks the response signature and freshness, and requires status good. Any failure is an error.
/// </summary>
public sealed class OcspChecker
{
    /// <summary>How long one OCSP exchange may take unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Responses larger than this are refused (a real one is a few KiB).</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";
    private const string SubjectKeyIdentifierOid = "2.5.29.14";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const string AuthorityInfoAccessOid = "1.3.6.1.5.5.7.1.1";

    private readonly HttpClient http;
    private readonly TimeSpan responseTimeout;
    private readonly TimeProvider time;

    /// <summary>Creates a checker.</summary>
    /// <param name="http">The client used for responder requests (the caller owns it).</param>
    /// <param name="timeout">Bound on each request, connection included; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="time">Clock for freshness checks; default the system clock.</param>
    public OcspChecker(HttpClient http, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        this.http = http;
        responseTimeout = timeout ?? DefaultTimeout;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Checks every certificate of a validated chain (leaf first). Self-signed certificates (no AKID, or
    /// SKID = AKID) are skipped; every other one needs its issuer in the chain and an OCSP URL.
    /// </summary>
    /// <exception cref="OcspException">The first certificate that is not proven good, and why.</exception>
    public async Task CheckChainAsync(IReadOnlyList<X509Certificate2> chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var certificate in chain)
        {
            byte[]? authorityKeyId;
            X509Certificate2? issuer;
            string? url;
            try
            {
                authorityKeyId = AuthorityKeyId(certificate);
                if (authorityKeyId is null || authorityKeyId.SequenceEqual(SubjectKeyId(certificate) ?? []))
                {
                    continue;
                }

                issuer = chain.FirstOrDefault(c => SubjectKeyId(c) is { } id && id.SequenceEqual(authorityKeyId));
                url = certificate.Extensions[AuthorityInfoAccessOid] is { } aia
                    ? new X509AuthorityInformationAccessExtension(aia.RawData, aia.Critical).EnumerateOcspUris().FirstOrDefault()
                    : null;
            }
            catch (CryptographicException ex)
            {
                throw Fail(certificate, $"malformed certificate extension: {ex.Message}", ex);
            }

            if (issuer is null)
            {
                throw Fail(certificate, "cannot find issuer in the chain");
            }

            if (issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                throw Fail(certificate, $"issuer {issuer.Subject} is not a CA");
            }

            if (url is null)
            {
                throw Fail(certificate, "certificate does not support OCSP (no OCSP URL)");
            }

            await CheckAsync(certificate, issuer, authorityKeyId, url, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[]? SubjectKeyId(X509Certificate2 certificate) =>
        certificate.Extensions[SubjectKeyIdentifierOid] is { } extension
            ? new X509SubjectKeyIdentifierExtension(extension, extension.Critical).SubjectKeyIdentifierBytes.ToArray()
            : null;

    private static byte[]? AuthorityKeyId(X509Certificate2 certificate) =>
        certificate.Extensions[AuthorityKeyIdentifierOid] is { } extension
            ? new X509AuthorityKeyIdentifierExtension(extension.RawData, extension.Critical).KeyIdentifier?.ToArray()
            : null;

    private static OcspException Fail(X509Certificate2 certificate, string reason, Exception? inner = null) =>
        new($"OCSP check of {certificate.Subject}: {reason}", inner);

    private async Task CheckAsync(
        X509Certificate2 certificate, X509Certificate2 issuer, byte[] authorityKeyId, string url, CancellationToken cancellationToken)
    {
        var bcIssuer = new BcCertificate(issuer.RawData);
        var bcCertificate = new BcCertificate(certificate.RawData);
        var id = new CertificateID(CertificateID.DigestSha1, bcIssuer, bcCertificate.SerialNumber);
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        var request = generator.Generate().GetEncoded();

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw Fail(certificate, $"unsupported OCSP URL {url} (only http and https are supported)");
        }

        var responseBytes = await PostAsync(certificate, uri, request, cancellationToken).ConfigureAwait(false);

        var response = Decode(() => new OcspResp(responseBytes))
            ?? throw Fail(certificate, $"malformed OCSP response from {url}");
        if (response.Status != OcspRespStatus.Successful)
        {
            throw Fail(certificate, $"responder {url} answered with OCSP status {StatusName(response.Status)}");
        }

        var basic = Decode(() => response.GetResponseObject() as BasicOcspResp)
            ?? throw Fail(certificate, $"responder {url} sent no valid basic OCSP response");

        CheckSignature(certificate, bcIssuer, authorityKeyId, basic);

        // Matched by serial and issuer hashes rather than byte equality: a responder may encode the SHA-1
        // algorithm identifier without its NULL parameters, or answer with another hash.
        var single = basic.Responses.FirstOrDefault(r => Covers(r.GetCertID(), id, bcIssuer))
            ?? throw Fail(certificate, "the OCSP response does not cover this certificate");
        var now = time.GetUtcNow().UtcDateTime;
        if (single.ThisUpdate > now)
        {
            throw Fail(certificate, string.Create(CultureInfo.InvariantCulture, $"OCSP response thisUpdate {single.ThisUpdate:u} is in the future"));
        }

        if (single.NextUpdate is { } next && next < now)
        {
            throw Fail(certificate, string.Create(CultureInfo.InvariantCulture, $"OCSP response is stale: nextUpdate {next:u} has passed"));
        }

        switch (single.GetCertStatus())
        {
            case null:
                return;
            case RevokedStatus revoked:
                throw Fail(certificate, string.Create(CultureInfo.InvariantCulture, $"certificate was revoked at {revoked.RevocationTime:u}"));
            default:
                throw Fail(certificate, "the responder reports the certificate status as unknown");
        }
    }

    private static T? Decode<T>(Func<T?> decode)
        where T : class
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or BcOcspException)
        {
            return null;
        }
    }

    private static bool Covers(CertificateID answered, CertificateID asked, BcCertificate issuer)
    {
        try
        {
            return answered.SerialNumber.Equals(asked.SerialNumber) && answered.MatchesIssuer(issuer);
        }
        catch (Exception ex) when (ex is BcOcspException or SecurityUtilityException or ArgumentException)
        {
            // An issuer hash algorithm we cannot compute cannot be matched.
            return false;
        }
    }

    private async Task<byte[]> PostAsync(X509Certificate2 certificate, Uri url, byte[] request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(responseTimeout);
        try
        {
            using var content = new ByteArrayContent(request);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
            using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Fail(certificate, string.Create(CultureInfo.InvariantCulture, $"responder {url} answered HTTP {(int)response.StatusCode}"));
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw Fail(certificate, $"responder {url} sent more than {MaxResponseBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(certificate, string.Create(CultureInfo.InvariantCulture, $"responder {url} did not answer within {responseTimeout.TotalSeconds:0.###} s"), ex);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(certificate, $"responder {url} unreachable: {ex.Message}", ex);
        }
    }

    private void CheckSignature(X509Certificate2 certificate, BcCertificate issuer, byte[] authorityKeyId, BasicOcspResp basic)
    {
        if (SignedBy(basic, issuer.GetPublicKey()))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var responder in basic.GetCerts() ?? [])
        {
            // Apptainer accepts an embedded certificate for the issuer's own key (SKID = AKID). A delegated
            // responder must be issued by the issuer and carry id-kp-OCSPSigning itself (RFC 6960 §4.2.2.2);
            // Apptainer tests the subject's EKU there instead, which looks like a bug.
            var sameKey = ResponderKeyId(responder) is { } keyId && keyId.SequenceEqual(authorityKeyId);
            var delegated = !sameKey && IssuedBy(responder, issuer)
                && (responder.GetExtendedKeyUsage()?.Any(o => o.Id == OcspSigningOid) ?? false)
                && responder.IsValid(now);
            if ((sameKey || delegated) && SignedBy(basic, responder.GetPublicKey()))
            {
                return;
            }
        }

        throw Fail(certificate, "OCSP response is not signed by the issuer or a responder it authorised");
    }

    private static byte[]? ResponderKeyId(BcCertificate responder) =>
        responder.GetExtensionValue(Org.BouncyCastle.Asn1.X509.X509Extensions.SubjectKeyIdentifier) is { } value
            ? Org.BouncyCastle.Asn1.X509.SubjectKeyIdentifier.GetInstance(
                Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(value.GetOctets())).GetKeyIdentifier()
            : null;

    private static bool IssuedBy(BcCertificate certificate, BcCertificate issuer)
    {
        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (ex is GeneralSecurityException or CryptoException or ArgumentException)
        {
            return false;
        }
    }

    private static bool SignedBy(BasicOcspResp basic, AsymmetricKeyParameter key)
    {
        try
        {
            return basic.Verify(key);
        }
        catch (Exception ex) when (ex is BcOcspException or ArgumentException or InvalidCastException or CryptoException)
        {
            return false;
        }
    }

    private static string StatusName(int status) => status switch
    {
        OcspRespStatus.MalformedRequest => "malformedRequest",
        OcspRespStatus.InternalError => "internalError",
        OcspRespStatus.TryLater => "tryLater",
        OcspRespStatus.SigRequired => "sigRequired",
        OcspRespStatus.Unauthorized => "unauthorized",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
