using System.CommandLine.Help;
using SifSign.Cli.Commands;
using SifSign.Cli.Commands.Ecl;
using SifSign.Cli.Commands.Key;
using SifSign.Cli.Commands.Keyserver;
using SifSign.Cli.Commands.Sif;

namespace SifSign.Cli;

/// <summary>The <c>sifsign</c> command tree.</summary>
internal static class SifSignCli
{
    public static Command CreateRoot(CliContext context)
    {
        var global = new GlobalOptions();

        // Not RootCommand: it names itself after the host process ("dotnet", "testhost"), and
        // help text must say "sifsign" however the program is started.
        var root = new Command("sifsign", "Sign and verify SIF container images (Apptainer/SingularityCE compatible)");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(global.KeysDir);
        root.Subcommands.Add(new SignCommand(context, global));
        root.Subcommands.Add(new VerifyCommand(context, global));
        root.Subcommands.Add(new KeyCommand(context, global));
        root.Subcommands.Add(new KeyserverCommand(context));
        root.Subcommands.Add(new SifCommand(context));
        root.Subcommands.Add(new EclCommand(context));
        return root;
    }

    public static int Run(string[] args, CliContext context)
    {
        var root = CreateRoot(context);
        var parse = root.Parse(args);
        if (CommandLineChecks.FindError(parse) is { } error)
        {
            context.Error.WriteLine($"Error: {error.TrimEnd('.')} (see '{CommandLineChecks.CommandPath(parse)} --help')");
            return ExitCodes.UsageError;
        }

        CommandLineChecks.WarnDeprecated(parse, context.Error);
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        return parse.InvokeAsync(configuration).GetAwaiter().GetResult();
    }
}
