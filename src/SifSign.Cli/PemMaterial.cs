using System.Security.Cryptography.X509Certificates;
using SifSign.Pki;

namespace SifSign.Cli;

/// <summary>
/// Reads the PEM files named on the command line (keys and certificates) and turns every library
/// failure into a <see cref="CliException"/> that names the file.
/// </summary>
internal static class PemMaterial
{
    public const string PassphrasePrompt = "Enter password for private key: ";

    // The library's PEM reader limit: checking first keeps a huge file out of memory.
    private const long MaxFileLength = 1024 * 1024;

    /// <summary>
    /// A PEM private key. An encrypted one takes its passphrase from <c>--passphrase-file</c>, else
    /// <c>$COSIGN_PASSWORD</c> as Apptainer (sigstore) does, else a prompt without echo.
    /// </summary>
    public static PemSigningKey LoadSigningKey(string path, FileInfo? passphraseFile, CliContext context) => Load(path, "private key", pem =>
    {
        if (!PemKeys.IsEncrypted(pem))
        {
            return PemKeys.LoadPrivate(pem);
        }

        var passphrase = (passphraseFile is null ? null : Passphrases.FromNonInteractiveSource(passphraseFile, context))
            ?? context.GetEnvironmentVariable(PemKeys.PassphraseEnvironmentVariable)?.ToCharArray()
            ?? context.Terminal.ReadSecret(PassphrasePrompt)
            ?? throw new CliException($"private key {path} is encrypted: use --passphrase-file, set {PemKeys.PassphraseEnvironmentVariable} or run on a terminal");
        try
        {
            return PemKeys.LoadPrivate(pem, passphrase);
        }
        finally
        {
            Array.Clear(passphrase);
        }
    });

    /// <summary>A PEM public key (SPKI or PKCS#1 RSA).</summary>
    public static PemVerificationKey LoadVerificationKey(string path) => Load(path, "public key", PemKeys.LoadPublic);

    /// <summary>The first certificate of a PEM file (the leaf, as Apptainer reads <c>--certificate</c>).</summary>
    public static X509Certificate2 LoadLeaf(string path) => Load(path, "certificate", PemCertificates.LoadLeaf);

    /// <summary>Every certificate of a PEM file (an intermediate or root pool).</summary>
    public static IReadOnlyList<X509Certificate2> LoadPool(string path) => Load(path, "certificates", PemCertificates.LoadPool);

    /// <summary>The file's text as <paramref name="parse"/> reads it; a failure names the file.</summary>
    private static T Load<T>(string path, string what, Func<string, T> parse)
    {
        var pem = ReadText(path, what);
        try
        {
            return parse(pem);
        }
        catch (Exception e) when (e is PemKeyException or CertificateException)
        {
            throw new CliException($"cannot load {what} {path}: {e.Message}", e);
        }
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            if (new FileInfo(path).Length > MaxFileLength)
            {
                throw new CliException($"cannot load {what} {path}: file larger than {MaxFileLength} bytes");
            }

            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {what} {path}: {e.Message}", e);
        }
    }
}
