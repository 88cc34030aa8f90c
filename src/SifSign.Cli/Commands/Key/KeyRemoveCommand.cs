namespace SifSign.Cli.Commands.Key;

internal sealed class KeyRemoveCommand : KeyringCommand
{
    public KeyRemoveCommand(CliContext context, GlobalOptions global)
        : base("remove", "Remove a key from the local keyring", context, global)
    {
        Options.Add(Secret);
        Options.Add(Both);
        Options.Add(Global);
        Arguments.Add(Fingerprint);
        Options.Add(Public);
        RejectWithGlobal(Secret, Both);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var keyring = OpenKeyring(parse);
            var handle = KeyHandles.Parse(parse.GetValue(Fingerprint)!);
            // As Apptainer: --both, or --secret with --public, removes both; --secret alone the private key; else the public key.
            var both = parse.GetValue(Both) || (parse.GetValue(Secret) && parse.GetValue(Public));
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

    public Option<bool> Public { get; } = new("--public", "-p") { Description = "Remove the public key only (the default)" };

    public Option<bool> Both { get; } = new("--both", "-b") { Description = "Remove the public and the private key" };

    public Argument<string> Fingerprint { get; } = new("FINGERPRINT") { Description = "Fingerprint of the key to remove" };
}
