using TestKit.Http;

namespace Interop.Tests.Pki;

/// <summary>
/// An OCSP responder on 127.0.0.1 (free port) whose answers <c>openssl ocsp</c> makes offline from an
/// index file (<c>-reqin</c>/<c>-respout</c>): openssl's own server would listen on every interface.
/// </summary>
public sealed class OpenSslOcspResponder : IAsyncDisposable
{
    private readonly OpenSsl _openssl;
    private readonly string _issuer;
    private readonly LoopbackOcspResponder _http;

    /// <param name="openssl">The PKI directory, holding <c>index.txt</c>.</param>
    /// <param name="issuer">The CA whose certificates are asked about; it signs the responses (NAME.pem, NAME.key).</param>
    public OpenSslOcspResponder(OpenSsl openssl, string issuer)
    {
        _openssl = openssl;
        _issuer = issuer;
        _http = new LoopbackOcspResponder(AnswerAsync);
    }

    public string Url => _http.Url;

    public int Requests => _http.Requests;

    /// <summary>Writes openssl's index: one line per certificate, valid or revoked.</summary>
    public void SetIndex(params (string Serial, string Subject, bool Revoked)[] entries)
    {
        var lines = entries.Select(e => e.Revoked
            ? $"R\t491231235959Z\t250101000000Z\t{e.Serial}\tunknown\t{e.Subject}"
            : $"V\t491231235959Z\t\t{e.Serial}\tunknown\t{e.Subject}");
        File.WriteAllText(_openssl.PathOf("index.txt"), string.Join('\n', lines) + "\n");
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    // openssl failing throws InvalidOperationException: the responder then closes the connection unanswered.
    private async Task<byte[]?> AnswerAsync(byte[] request, CancellationToken cancellationToken)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllBytesAsync(_openssl.PathOf(name + ".req"), request, cancellationToken);
        _openssl.Run(
            "ocsp", "-index", "index.txt", "-CA", _issuer + ".pem", "-rsigner", _issuer + ".pem", "-rkey", _issuer + ".key",
            "-reqin", name + ".req", "-respout", name + ".resp", "-ndays", "1").EnsureSuccess();
        return await File.ReadAllBytesAsync(_openssl.PathOf(name + ".resp"), cancellationToken);
    }
}
