using SifSign.Pki;

namespace SifSign.Cli.Commands.Key;

/// <summary>
/// Creates a PEM key pair for DSSE signing (<c>sign --key</c>): PKCS#8 private key (0600) and SPKI
/// public key, both readable by openssl and cosign.
/// </summary>
internal sealed class KeyNewPemCommand : Command
{
    private static readonly Dictionary<string, PemKeyAlgorithm> AlgorithmNames = new(StringComparer.Ordinal)
    {
        ["ed25519"] = PemKeyAlgorithm.Ed25519,
        ["rsa"] = PemKeyAlgorithm.Rsa,
        ["ecdsa-p256"] = PemKeyAlgorithm.EcdsaP256,
        ["ecdsa-p384"] = PemKeyAlgorithm.EcdsaP384,
        ["ecdsa-p521"] = PemKeyAlgorithm.EcdsaP521,
    };

    public KeyNewPemCommand(CliContext context)
        : base("newpem", "Create a PEM key pair for 'sign --key' / 'verify --key' (PKCS#8 private key, mode 600; SPKI public key)")
    {
        Algorithm.AcceptOnlyFromAmong([.. AlgorithmNames.Keys]);
        Options.Add(Algorithm);
        Options.Add(BitLength);
        Options.Add(PublicKey);
        Arguments.Add(PrivateKey);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.KeyCommandFailed, () =>
        {
            var privatePath = parse.GetValue(PrivateKey)!;
            var publicPath = parse.GetValue(PublicKey) ?? privatePath + ".pub";
            PemKeyPair pair;
            try
            {
                pair = PemKeys.Generate(AlgorithmNames[parse.GetValue(Algorithm)!], parse.GetValue(BitLength));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliException(e.Message.Split(" (Parameter")[0], e);
            }

            PemKeys.WriteFiles(pair, privatePath, publicPath);
            context.Out.WriteLine($"Key ID: {pair.KeyId}");
            context.Info($"Private key written to {privatePath} (mode 600), public key to {publicPath}");
            context.Warning("the private key is not protected by a passphrase: keep the file private");
            return ExitCodes.Success;
        }));
    }

    public Option<string> Algorithm { get; } = new("--algorithm", "-a")
    {
        Description = "Key algorithm",
        DefaultValueFactory = _ => "ecdsa-p256",
    };

    public Option<int> BitLength { get; } = new("--bit-length", "-b")
    {
        Description = "RSA key length in bits (2048-16384)",
        DefaultValueFactory = _ => PemKeys.DefaultRsaKeySize,
    };

    public Option<string?> PublicKey { get; } = new("--public-key") { Description = "Where to write the public key (default: OUT.pub)" };

    public Argument<string> PrivateKey { get; } = new("OUT") { Description = "Where to write the private key (must not exist)" };
}
