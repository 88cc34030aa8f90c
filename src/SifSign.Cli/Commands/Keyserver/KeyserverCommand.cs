using SifSign.Hkp;

namespace SifSign.Cli.Commands.Keyserver;

/// <summary>
/// <c>sifsign keyserver …</c>, with the flags of Apptainer's <c>keyserver</c> commands
/// (cmd/internal/cli/keyserver.go): <c>-c/--config</c> on every subcommand, <c>add -o/--order -i/--insecure</c>,
/// <c>login -u/--username -p/--password --password-stdin</c>. Apptainer's optional remote name before
/// the URL is accepted and ignored: sifsign has no remotes.
/// </summary>
internal sealed class KeyserverCommand : Command
{
    public KeyserverCommand(CliContext context)
        : base("keyserver", "Manage the keyservers sifsign talks to")
    {
        Options.Add(Config);
        Subcommands.Add(new KeyserverAddCommand(context, Config));
        Subcommands.Add(new KeyserverListCommand(context, Config));
        Subcommands.Add(new KeyserverRemoveCommand(context, Config));
        Subcommands.Add(new KeyserverLoginCommand(context, Config));
        Subcommands.Add(new KeyserverLogoutCommand(context, Config));
    }

    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "Path to the file holding the keyserver configuration (default: $XDG_CONFIG_HOME/sifsign/config.toml, else ~/.config/sifsign/config.toml)",
        Recursive = true,
    };

    /// <summary>The URL of <c>[NAME] URL</c>: the last word (Apptainer's remote name comes first).</summary>
    internal static string LastWord(string[] words) => words[^1];
}

/// <summary>A <c>keyserver</c> subcommand: works on the configuration file <c>-c/--config</c> names.</summary>
internal abstract class KeyserverSubcommand : Command
{
    protected KeyserverSubcommand(string name, string description, CliContext context, Option<string?> configOption)
        : base(name, description)
    {
        Context = context;
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () => Run(parse, Keyservers.Config(context, parse.GetValue(configOption)))));
    }

    protected CliContext Context { get; }

    /// <summary>The command's work on <paramref name="config"/>; returns the exit code.</summary>
    protected abstract int Run(ParseResult parse, KeyserverConfig config);
}

internal sealed class KeyserverAddCommand : KeyserverSubcommand
{
    public KeyserverAddCommand(CliContext context, Option<string?> configOption)
        : base("add", "Add a keyserver; the first one in the list is the default", context, configOption)
    {
        Options.Add(Order);
        Options.Add(Insecure);
        Arguments.Add(Words);
    }

    protected override int Run(ParseResult parse, KeyserverConfig config)
    {
        if (parse.GetResult(Order) is not null && parse.GetValue(Order) == 0)
        {
            throw new CliException("order must be > 0");
        }

        var url = KeyserverCommand.LastWord(parse.GetValue(Words)!);
        var order = parse.GetResult(Order) is null ? (int?)null : (int)Math.Min(parse.GetValue(Order), int.MaxValue);
        if (!config.Add(url, order, parse.GetValue(Insecure)))
        {
            throw new CliException($"keyserver {url} is already configured");
        }

        Context.Info($"Keyserver {url} added to {config.Path}");
        return ExitCodes.Success;
    }

    public Option<uint> Order { get; } = new("--order", "-o") { Description = "Position in the list, from 1 (the default keyserver); default: last" };

    public Option<bool> Insecure { get; } = new("--insecure", "-i") { Description = "Do not check the keyserver's TLS certificate (as Apptainer's --insecure)" };

    public Argument<string[]> Words { get; } = new("URL") { Description = "[NAME] URL: hkp://, hkps://, http:// or https:// (an Apptainer remote name before it is ignored)", Arity = new ArgumentArity(1, 2) };
}

internal sealed class KeyserverRemoveCommand : KeyserverSubcommand
{
    public KeyserverRemoveCommand(CliContext context, Option<string?> configOption)
        : base("remove", "Remove a keyserver (and its stored credentials)", context, configOption)
    {
        Arguments.Add(Words);
    }

    protected override int Run(ParseResult parse, KeyserverConfig config)
    {
        var url = KeyserverCommand.LastWord(parse.GetValue(Words)!);
        if (!config.Remove(url))
        {
            throw new CliException($"keyserver {url} is not configured");
        }

        Context.Info($"Keyserver {url} removed");
        return ExitCodes.Success;
    }

    public Argument<string[]> Words { get; } = new("URL") { Description = "[NAME] URL, the URL exactly as listed", Arity = new ArgumentArity(1, 2) };
}

internal sealed class KeyserverListCommand : KeyserverSubcommand
{
    public KeyserverListCommand(CliContext context, Option<string?> configOption)
        : base("list", "List the configured keyservers (the first is the default)", context, configOption)
    {
        Arguments.Add(RemoteName);
    }

    protected override int Run(ParseResult parse, KeyserverConfig config)
    {
        var configured = config.Read();
        var fromEnvironment = Context.GetEnvironmentVariable(KeyserverConfig.KeyserverVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            Context.Out.WriteLine($"{fromEnvironment}\t(from ${KeyserverConfig.KeyserverVariable}, used first)");
        }

        for (var i = 0; i < configured.Count; i++)
        {
            var notes = new List<string>();
            if (i == 0)
            {
                notes.Add("default");
            }

            if (config.IsInsecure(configured[i]))
            {
                notes.Add("insecure");
            }

            if (config.FindCredentials(configured[i]) is not null)
            {
                notes.Add("logged in");
            }

            Context.Out.WriteLine(notes.Count == 0 ? configured[i] : $"{configured[i]}\t({string.Join(", ", notes)})");
        }

        if (configured.Count == 0 && string.IsNullOrWhiteSpace(fromEnvironment))
        {
            Context.Info("no keyserver configured: run 'sifsign keyserver add URL' or set " + KeyserverConfig.KeyserverVariable);
        }

        return ExitCodes.Success;
    }

    public Argument<string?> RemoteName { get; } = new("NAME") { Description = "Apptainer's remote name (accepted and ignored)", Arity = ArgumentArity.ZeroOrOne };
}

internal sealed class KeyserverLoginCommand : KeyserverSubcommand
{
    public const string UsernameVariable = "APPTAINER_LOGIN_USERNAME";

    public const string PasswordVariable = "APPTAINER_LOGIN_PASSWORD";

    public KeyserverLoginCommand(CliContext context, Option<string?> configOption)
        : base("login", "Store a user name and password sent (HTTP Basic) to this keyserver only", context, configOption)
    {
        Options.Add(Username);
        Options.Add(Password);
        Options.Add(PasswordStdin);
        Arguments.Add(Url);
    }

    protected override int Run(ParseResult parse, KeyserverConfig config)
    {
        var url = parse.GetValue(Url)!;
        var username = parse.GetValue(Username) ?? Context.GetEnvironmentVariable(UsernameVariable) ?? string.Empty;
        if (username.Contains(':', StringComparison.Ordinal))
        {
            throw new CliException("the user name may not contain ':' (RFC 7617 §2)");
        }

        string? password;
        if (parse.GetValue(PasswordStdin))
        {
            password = Context.ReadStandardInput().TrimEnd('\n').TrimEnd('\r');
        }
        else
        {
            password = parse.GetValue(Password) ?? Context.GetEnvironmentVariable(PasswordVariable);
            password ??= Context.Terminal.ReadSecret("Password / Token: ") is { } typed ? new string(typed) : null;
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new CliException("no password given: use --password, --password-stdin or " + PasswordVariable);
        }

        config.Login(url, new KeyserverCredentials(username, password));
        Context.Info($"Credentials for {url} stored in {config.Path}");
        return ExitCodes.Success;
    }

    public Option<string?> Username { get; } = new("--username", "-u") { Description = $"User name (also ${UsernameVariable})" };

    public Option<string?> Password { get; } = new("--password", "-p") { Description = $"Password or token (also ${PasswordVariable}; else --password-stdin or a prompt)" };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the password from standard input" };

    public Argument<string> Url { get; } = new("URL") { Description = "The keyserver URL the credentials are for (exactly as configured or given to --url)" };
}

internal sealed class KeyserverLogoutCommand : KeyserverSubcommand
{
    public KeyserverLogoutCommand(CliContext context, Option<string?> configOption)
        : base("logout", "Forget the credentials stored for a keyserver (default: the default keyserver)", context, configOption)
    {
        Arguments.Add(Url);
    }

    protected override int Run(ParseResult parse, KeyserverConfig config)
    {
        var url = parse.GetValue(Url) ?? config.Read().FirstOrDefault()
            ?? throw new CliException("no keyserver configured: name the URL to log out of");
        if (!config.Logout(url))
        {
            throw new CliException($"not logged in to {url}");
        }

        Context.Info("Logout succeeded");
        return ExitCodes.Success;
    }

    public Argument<string?> Url { get; } = new("URL") { Description = "The keyserver URL", Arity = ArgumentArity.ZeroOrOne };
}
