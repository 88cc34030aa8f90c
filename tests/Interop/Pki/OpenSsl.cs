namespace Interop.Tests.Pki;

/// <summary>Runs the real <c>openssl</c> in one working directory: keys, certificates, OCSP responses, signature checks.</summary>
public sealed class OpenSsl(string directory)
{
    private static readonly string Program = Tools.Require("openssl", "openssl");

    public string Directory { get; } = directory;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public ProcessResult Run(params string[] arguments) =>
        ProcessRunner.RunAsync(Program, arguments, workingDirectory: Directory).GetAwaiter().GetResult();

    /// <summary>A private key as openssl writes it for <paramref name="kind"/>, and its SPKI public key (<c>NAME.pub</c>).</summary>
    public string NewKey(string name, PemKind kind)
    {
        string[] generate = kind switch
        {
            PemKind.RsaPkcs1 => ["genrsa", "-traditional", "-out", name, "2048"],
            PemKind.RsaPkcs8 => ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name],
            PemKind.EcP256Sec1 => ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name],
            PemKind.EcP384Pkcs8 => ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", name],
            PemKind.EcP521Pkcs8 => ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521", "-out", name],
            PemKind.Ed25519Pkcs8 => ["genpkey", "-algorithm", "ED25519", "-out", name],
            _ => ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass", "pass:" + EncryptedPassphrase, "-out", name],
        };
        Run(generate).EnsureSuccess();
        string[] passphrase = kind == PemKind.EcP256EncryptedPkcs8 ? ["-passin", "pass:" + EncryptedPassphrase] : [];
        Run(["pkey", "-in", name, .. passphrase, "-pubout", "-out", name + ".pub"]).EnsureSuccess();
        return PathOf(name);
    }

    public const string EncryptedPassphrase = "correct horse";

    /// <summary>Checks a DSSE signature over <paramref name="pae"/> the way a stranger with only openssl would.</summary>
    public ProcessResult VerifySignature(string publicKeyPath, byte[] pae, byte[] signature, bool ed25519)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        File.WriteAllBytes(PathOf(name + ".pae"), pae);
        File.WriteAllBytes(PathOf(name + ".sig"), signature);
        return ed25519
            ? Run("pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPath, "-rawin", "-in", name + ".pae", "-sigfile", name + ".sig")
            : Run("dgst", "-sha256", "-verify", publicKeyPath, "-signature", name + ".sig", name + ".pae");
    }

    /// <summary>A self-signed CA (ECDSA P-256): NAME.key and NAME.pem.</summary>
    public void NewRoot(string name)
    {
        Run(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
            "-days", "30", "-subj", "/CN=Interop Root " + name,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign").EnsureSuccess();
    }

    /// <summary>
    /// A certificate NAME.pem for a new key NAME.key, issued by ISSUER (ISSUER.pem, ISSUER.key) with these
    /// extension lines; returns the serial number in the hex form openssl's OCSP index uses.
    /// </summary>
    public string Issue(string name, string issuer, int serial, bool rsa, params string[] extensions)
    {
        string[] key = rsa ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
        Run(["req", "-new", .. key, "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=Interop " + name]).EnsureSuccess();
        File.WriteAllLines(PathOf(name + ".ext"), ["subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid", .. extensions]);
        var serialText = serial.ToString("X4", CultureInfo.InvariantCulture);
        Run(
            "x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key", "-set_serial", "0x" + serialText,
            "-days", "30", "-extfile", name + ".ext", "-out", name + ".pem").EnsureSuccess();
        return serialText;
    }
}

/// <summary>The PEM private key encodings sigstore accepts (sif.md §3.3), as openssl writes them.</summary>
public enum PemKind
{
    RsaPkcs1,
    RsaPkcs8,
    EcP256Sec1,
    EcP384Pkcs8,
    EcP521Pkcs8,
    Ed25519Pkcs8,
    EcP256EncryptedPkcs8,
}
