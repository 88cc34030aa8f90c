namespace SifSign.Cli.Commands.Key;

internal sealed class KeyListCommand : KeyringCommand
{
    public KeyListCommand(CliContext context, GlobalOptions global)
        : base("list", "List the keys in the local keyring", context, global)
    {
        Options.Add(Secret);
        Options.Add(Global);
        RejectWithGlobal(Secret);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var keyring = OpenKeyring(parse);
            var secret = parse.GetValue(Secret);
            var (title, path, keys) = secret
                ? ("Private", keyring.SecretPath, keyring.ReadSecret().Select(ring => ring.GetPublicKey()).ToList())
                : ("Public", keyring.PublicPath, keyring.ReadPublic().Select(ring => ring.GetPublicKey()).ToList());
            context.Out.Write($"{title} key listing ({path}):\n\n");
            context.Out.Write(KeyListing.Format(keys));
            return ExitCodes.Success;
        }));
    }

    public Option<bool> Secret { get; } = new("--secret", "-s") { Description = "List the private keys instead of the public ones" };
}
