using System.Net.Sockets;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using TestKit.Http;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace SifSign.Tests.Pki;

public sealed class OcspCheckerTests : IDisposable
{
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private readonly List<string> _requestedHashes = [];
    private TestCertificateAuthority? _intermediate;

    [Fact]
    public async Task CheckChain_AllGood_AsksAboutLeafAndIntermediateWithSha1CertIds()
    {
        await using var responder = Responder(req => Answer(req, CertificateStatus.Good));
        var chain = CreateChain(responder.Url);

        await Checker().CheckChainAsync(chain);

        Assert.Equal(2, responder.Requests);
        Assert.Equal(["1.3.14.3.2.26", "1.3.14.3.2.26"], _requestedHashes);
        Assert.Equal("application/ocsp-request", responder.LastContentType);
    }

    [Fact]
    public async Task CheckChain_LeafRevoked_Throws()
    {
        var message = await RefusalAsync(req => Answer(req, new RevokedStatus(DateTime.UtcNow.AddDays(-1), 1)));

        Assert.Contains("CN=Test Signer", message, StringComparison.Ordinal);
        Assert.Contains("revoked", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_StatusUnknown_Throws()
    {
        var message = await RefusalAsync(req => Answer(req, new UnknownStatus()));

        Assert.Contains("unknown", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_NextUpdatePassed_ThrowsStale()
    {
        var message = await RefusalAsync(req =>
            Answer(req, CertificateStatus.Good, thisUpdate: DateTime.UtcNow.AddDays(-3), nextUpdate: DateTime.UtcNow.AddDays(-1)));

        Assert.Contains("stale", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_ThisUpdateInFuture_Throws()
    {
        var message = await RefusalAsync(req => Answer(req, CertificateStatus.Good, thisUpdate: DateTime.UtcNow.AddHours(1)));

        Assert.Contains("in the future", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_SignedByUnrelatedKey_Throws()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var strangerKey = PrivateKeyFactory.CreateKey(stranger.ExportPkcs8PrivateKey());
        var message = await RefusalAsync(req => Answer(req, CertificateStatus.Good, signingKey: strangerKey));

        Assert.Contains("not signed by the issuer", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_DelegatedResponderWithOcspSigningEku_IsAccepted()
    {
        await using var responder = Responder(req => AnswerDelegated(req, [TestCertificateAuthority.OcspSigning]));
        var chain = CreateChain(responder.Url);

        await Checker().CheckChainAsync(chain);

        Assert.Equal(2, responder.Requests);
    }

    [Fact]
    public async Task CheckChain_DelegatedResponderWithoutOcspSigningEku_Throws()
    {
        var message = await RefusalAsync(req => AnswerDelegated(req, [TestCertificateAuthority.ServerAuth]));

        Assert.Contains("not signed by the issuer", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_ResponseForAnotherSerial_Throws()
    {
        var message = await RefusalAsync(req =>
        {
            var asked = req.GetRequestList()[0].GetCertID();
            var other = CertificateID.DeriveCertificateID(asked, asked.SerialNumber.Add(Org.BouncyCastle.Math.BigInteger.One));
            return Build(other, CertificateStatus.Good, IssuerOf(asked).BouncyCastlePrivateKey, null, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddDays(1));
        });

        Assert.Contains("does not cover", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { })]
    public async Task CheckChain_GarbageResponse_ThrowsMalformed(byte[] garbage)
    {
        var message = await RefusalAsync(_ => garbage);

        Assert.Contains("malformed OCSP response", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_ResponderSaysTryLater_Throws()
    {
        var message = await RefusalAsync(_ => new OCSPRespGenerator().Generate(OCSPRespGenerator.TryLater, null).GetEncoded());

        Assert.Contains("tryLater", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_OversizedResponse_IsRefused()
    {
        var message = await RefusalAsync(_ => new byte[OcspChecker.MaxResponseBytes + 1]);

        Assert.Contains("sent more than", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_NonHttpOcspUrl_Throws()
    {
        var chain = CreateChain("ldap://127.0.0.1/ocsp");

        var error = await Assert.ThrowsAsync<SifSign.Pki.OcspException>(() => Checker().CheckChainAsync(chain));

        Assert.Contains("unsupported OCSP URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_ClosedPort_ThrowsUnreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var chain = CreateChain($"http://127.0.0.1:{port}/ocsp");

        var error = await Assert.ThrowsAsync<SifSign.Pki.OcspException>(() => Checker().CheckChainAsync(chain));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_ResponderHangs_TimeoutIsReported()
    {
        await using var responder = Responder(_ => null);
        var chain = CreateChain(responder.Url);

        var error = await Assert.ThrowsAsync<SifSign.Pki.OcspException>(
            () => new OcspChecker(_http, TimeSpan.FromMilliseconds(300)).CheckChainAsync(chain));

        Assert.Contains("did not answer within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_CertificateWithoutOcspUrl_Throws()
    {
        var chain = CreateChain(url: null);

        var error = await Assert.ThrowsAsync<SifSign.Pki.OcspException>(() => Checker().CheckChainAsync(chain));

        Assert.Contains("does not support OCSP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckChain_IssuerMissingFromChain_Throws()
    {
        await using var responder = Responder(req => Answer(req, CertificateStatus.Good));
        var chain = CreateChain(responder.Url);

        var error = await Assert.ThrowsAsync<SifSign.Pki.OcspException>(() => Checker().CheckChainAsync([chain[0], chain[2]]));

        Assert.Contains("cannot find issuer", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _intermediate?.Dispose();
        _root.Dispose();
        _http.Dispose();
    }

    private OcspChecker Checker() => new(_http, TimeSpan.FromSeconds(30));

    private List<X509Certificate2> CreateChain(string? url)
    {
        _intermediate = _root.CreateIntermediate(ocspUrl: url);
        var (leaf, _) = _intermediate.IssueLeaf(ocspUrl: url);
        return [leaf, _intermediate.Certificate, _root.Certificate];
    }

    private TestCertificateAuthority IssuerOf(CertificateID id) =>
        id.MatchesIssuer(_intermediate!.BouncyCastleCertificate) ? _intermediate : _root;

    private byte[] Answer(
        OcspReq request, CertificateStatus status, AsymmetricKeyParameter? signingKey = null, DateTime? thisUpdate = null, DateTime? nextUpdate = null)
    {
        var id = request.GetRequestList()[0].GetCertID();
        lock (_requestedHashes)
        {
            _requestedHashes.Add(id.HashAlgOid);
        }

        return Build(
            id, status, signingKey ?? IssuerOf(id).BouncyCastlePrivateKey, null,
            thisUpdate ?? DateTime.UtcNow.AddMinutes(-1), nextUpdate ?? DateTime.UtcNow.AddDays(1));
    }

    private byte[] AnswerDelegated(OcspReq request, string[] responderEkus)
    {
        var id = request.GetRequestList()[0].GetCertID();
        var issuer = IssuerOf(id);
        var (certificate, key) = issuer.IssueResponder("CN=Delegated Responder", responderEkus);
        using (key)
        {
            return Build(
                id, CertificateStatus.Good, PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()),
                [new BcCertificate(certificate.RawData)], DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddDays(1));
        }
    }

    /// <summary>A loopback OCSP responder answering each parsed request with <paramref name="handler"/> (null: hang).</summary>
    // Why the checker refuses a chain whose responder answers as the handler does.
    private async Task<string> RefusalAsync(Func<OcspReq, byte[]?> handler)
    {
        await using var responder = Responder(handler);
        var chain = CreateChain(responder.Url);
        var error = await Assert.ThrowsAsync<SifSign.Pki.OcspException>(() => Checker().CheckChainAsync(chain));
        return error.Message;
    }

    private static LoopbackOcspResponder Responder(Func<OcspReq, byte[]?> handler) =>
        new((body, _) => Task.FromResult(handler(new OcspReq(body))));

    private static byte[] Build(
        CertificateID id, CertificateStatus status, AsymmetricKeyParameter signingKey, BcCertificate[]? embedded, DateTime thisUpdate, DateTime? nextUpdate)
    {
        var generator = new BasicOcspRespGenerator(new RespID(new Org.BouncyCastle.Asn1.X509.X509Name("CN=Responder")));
        generator.AddResponse(id, status, thisUpdate, nextUpdate, null);
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", signingKey), embedded, DateTime.UtcNow);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }
}
