using SifSign.Ecl;
using SifSign.Integrity;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Ecl;

/// <summary>
/// Answers whether Apptainer's ECL would let an image run (Apptainer's internal/pkg/syecl): the image is verified against
/// the global PGP keyring only, forgiving signatures by unknown signers, then judged by its execgroup.
/// </summary>
internal sealed class EclCheckCommand : Command
{
    public const string ConfigDirectoryVariable = "APPTAINER_CONFDIR";

    public const string DefaultConfigDirectory = "/etc/apptainer";

    public EclCheckCommand(CliContext context)
        : base("check", "Print whether the ECL allows IMAGE to run, and why (exit 0 allowed, 3 prohibited)")
    {
        Options.Add(Config);
        Options.Add(KeyringFile);
        Arguments.Add(Image);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var image = parse.GetValue(Image)!;
            var configDirectory = context.GetEnvironmentVariable(ConfigDirectoryVariable) is { Length: > 0 } d ? d : DefaultConfigDirectory;
            var explicitConfig = parse.GetValue(Config);
            var configPath = explicitConfig ?? Path.Combine(configDirectory, "ecl.toml");
            if (explicitConfig is null && !File.Exists(configPath))
            {
                return Report(context, new EclDecision(true, $"no ECL configuration at {configPath}", null));
            }

            var config = ReadConfig(configPath);
            if (!config.Activated || EclEvaluator.SelectGroup(config, image) is null)
            {
                // Decided without looking at the image, as Apptainer decides before it verifies.
                return Report(context, EclEvaluator.Evaluate(config, image, new EclImageSignatures([])));
            }

            var keyringPath = parse.GetValue(KeyringFile) ?? Path.Combine(configDirectory, "global-pgp-public");
            var keyring = KeyFile.ReadFile(keyringPath, missingIsEmpty: parse.GetValue(KeyringFile) is null);
            var keys = new PgpVerificationKeys(keyring.PublicKeys.Concat(keyring.SecretKeys.Select(Keyring.PublicPart)));
            var options = new VerifyOptions(LegacyInsecure: config.LegacyInsecure) { IgnoreError = EclImageSignatures.ForgivesError, Time = context.Time };
            var result = ImageVerifier.Verify(image, options, keys);
            return Report(context, EclEvaluator.Evaluate(config, image, EclImageSignatures.FromVerifyResult(result)));
        }));
    }

    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = $"The ECL file (default: ${ConfigDirectoryVariable}/ecl.toml, else {DefaultConfigDirectory}/ecl.toml; a missing default file allows everything)",
    };

    public Option<string?> KeyringFile { get; } = new("--keyring", "-k")
    {
        Description = $"OpenPGP keyring file the ECL trusts, public keys or the public parts of secret ones (default: ${ConfigDirectoryVariable}/global-pgp-public, else {DefaultConfigDirectory}/global-pgp-public)",
    };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "The SIF image to check" };

    private static EclConfig ReadConfig(string path)
    {
        string toml;
        try
        {
            toml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read ECL configuration {path}: {e.Message}", e);
        }

        try
        {
            return EclConfig.Parse(toml);
        }
        catch (EclConfigException e)
        {
            throw new CliException($"invalid ECL configuration {path}: {e.Message}", e);
        }
    }

    private static int Report(CliContext context, EclDecision decision)
    {
        context.Out.WriteLine($"{(decision.Allowed ? "allowed" : "prohibited")}: {decision.Reason}");
        return decision.Allowed ? ExitCodes.Success : ExitCodes.Prohibited;
    }
}
