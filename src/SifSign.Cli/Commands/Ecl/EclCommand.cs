namespace SifSign.Cli.Commands.Ecl;

internal sealed class EclCommand : Command
{
    public EclCommand(CliContext context)
        : base("ecl", "Execution Control List (Apptainer's ecl.toml)")
    {
        Subcommands.Add(new EclCheckCommand(context));
    }
}
