namespace SifSign.Cli.Commands.Key;

internal sealed class KeyCommand : Command
{
    public KeyCommand(CliContext context, GlobalOptions global)
        : base("key", "Manage OpenPGP keys (Apptainer's keyring format and location) and create PEM key pairs")
    {
        Aliases.Add("keys");
        Subcommands.Add(new KeyNewPairCommand(context, global));
        Subcommands.Add(new KeyNewPemCommand(context));
        Subcommands.Add(new KeyListCommand(context, global));
        Subcommands.Add(new KeyExportCommand(context, global));
        Subcommands.Add(new KeyImportCommand(context, global));
        Subcommands.Add(new KeyRemoveCommand(context, global));
        Subcommands.Add(new KeyPushCommand(context, global));
        Subcommands.Add(new KeyPullCommand(context, global));
        Subcommands.Add(new KeyRefreshCommand(context, global));
        Subcommands.Add(new KeySearchCommand(context));
    }
}
