using System.CommandLine;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyRemoveCommand : Command
{
    public KeyRemoveCommand(CliContext context, GlobalOptions global)
        : base("remove", "Remove a key from the local keyring")
    {
        Options.Add(Secret);
        Options.Add(Both);
        Arguments.Add(Fingerprint);
        Validators.Add(result =>
        {
            if (result.GetResult(Secret) is not null && result.GetResult(Both) is not null)
            {
                result.AddError("--secret and --both cannot be used together");
            }
        });
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var keyring = global.OpenKeyring(parse, context);
            var handle = KeyHandles.Parse(parse.GetValue(Fingerprint)!);
            var both = parse.GetValue(Both);
            var removeSecret = both || parse.GetValue(Secret);
            var removePublic = both || !parse.GetValue(Secret);
            var removed = false;
            if (removeSecret)
            {
                // Secret first: a failure in between never leaves a secret key without its public part.
                removed |= keyring.RemoveSecret(handle);
            }

            if (removePublic)
            {
                removed |= keyring.RemovePublic(handle);
            }

            if (!removed)
            {
                throw new CliException("no key matching given fingerprint found");
            }

            return ExitCodes.Success;
        }));
    }

    public Option<bool> Secret { get; } = new("--secret", "-s") { Description = "Remove the private key only" };

    public Option<bool> Both { get; } = new("--both", "-b") { Description = "Remove the public and the private key" };

    public Argument<string> Fingerprint { get; } = new("FINGERPRINT") { Description = "Fingerprint of the key to remove" };
}
