using System.CommandLine;
using SifSign.Hkp;

namespace SifSign.Cli.Commands.Keyserver;

internal sealed class KeyserverCommand : Command
{
    public KeyserverCommand(CliContext context)
        : base("keyserver", "Manage the keyservers sifsign talks to")
    {
        Subcommands.Add(new KeyserverAddCommand(context));
        Subcommands.Add(new KeyserverListCommand(context));
        Subcommands.Add(new KeyserverRemoveCommand(context));
    }
}

internal sealed class KeyserverAddCommand : Command
{
    public KeyserverAddCommand(CliContext context)
        : base("add", "Add a keyserver; the first one added is the default")
    {
        Arguments.Add(Url);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var config = Keyservers.Config(context);
            var url = parse.GetValue(Url)!;
            if (!config.Add(url))
            {
                throw new CliException($"keyserver {url} is already configured");
            }

            context.Info($"Keyserver {url} added to {config.Path}");
            return ExitCodes.Success;
        }));
    }

    public Argument<string> Url { get; } = new("URL") { Description = "hkp://, hkps://, http:// or https:// URL" };
}

internal sealed class KeyserverRemoveCommand : Command
{
    public KeyserverRemoveCommand(CliContext context)
        : base("remove", "Remove a keyserver")
    {
        Arguments.Add(Url);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var config = Keyservers.Config(context);
            var url = parse.GetValue(Url)!;
            if (!config.Remove(url))
            {
                throw new CliException($"keyserver {url} is not configured");
            }

            context.Info($"Keyserver {url} removed");
            return ExitCodes.Success;
        }));
    }

    public Argument<string> Url { get; } = new("URL") { Description = "The URL exactly as listed" };
}

internal sealed class KeyserverListCommand : Command
{
    public KeyserverListCommand(CliContext context)
        : base("list", "List the configured keyservers (the first is the default)")
    {
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var configured = Keyservers.Config(context).Read();
            var fromEnvironment = context.GetEnvironmentVariable(KeyserverConfig.KeyserverVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                context.Out.WriteLine($"{fromEnvironment}\t(from ${KeyserverConfig.KeyserverVariable}, used first)");
            }

            for (var i = 0; i < configured.Count; i++)
            {
                context.Out.WriteLine(i == 0 ? $"{configured[i]}\t(default)" : configured[i]);
            }

            if (configured.Count == 0 && string.IsNullOrWhiteSpace(fromEnvironment))
            {
                context.Info("no keyserver configured: run 'sifsign keyserver add URL' or set " + KeyserverConfig.KeyserverVariable);
            }

            return ExitCodes.Success;
        }));
    }
}
