using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace SifSign.Cli;

/// <summary>
/// What System.CommandLine leaves to the program: an unknown option named as such (it would take
/// <c>--bogus</c> for the IMAGE argument and blame the next word), one-line parse errors that point
/// at <c>--help</c> instead of printing it, and Apptainer's deprecation warnings for old spellings.
/// </summary>
internal static class CommandLineChecks
{
    // Apptainer's deprecated flags and cobra's message for them ("Flag --%s has been deprecated, %s"),
    // from cmd/internal/cli/sign.go and verify.go.
    private static readonly (string Command, string Alias, string Name, string Advice)[] Deprecated =
    [
        ("sign", "--groupid", "groupid", "use '--group-id'"),
        ("sign", "--id", "id", "use '--sif-id'"),
        ("sign", "--all", "all", "now the default behavior"),
        ("sign", "-a", "all", "now the default behavior"),
        ("verify", "--groupid", "groupid", "use '--group-id'"),
        ("verify", "--id", "id", "use '--sif-id'"),
    ];

    /// <summary>
    /// The first problem with the command line, as one line, or null when it is fine (or when help
    /// or the version was asked for: those run whatever else is wrong).
    /// </summary>
    public static string? FindError(ParseResult parse)
    {
        if (parse.Action is HelpAction || (parse.CommandResult.Parent is null && parse.Tokens.Any(t => t.Value == "--version")))
        {
            return null;
        }

        if (FindUnknownOption(parse) is { } unknown)
        {
            return $"unknown option '{unknown}'";
        }

        if (parse.Errors.Count > 0)
        {
            // The word that is wrong first: "Unrecognized command or argument 'x'" says more than
            // the "Required command was not provided" that follows from it.
            var unrecognized = parse.UnmatchedTokens.Count > 0
                ? parse.Errors.FirstOrDefault(e => e.Message.Contains($"'{parse.UnmatchedTokens[0]}'", StringComparison.Ordinal))
                : null;
            return (unrecognized ?? parse.Errors[0]).Message;
        }

        return null;
    }

    /// <summary>The command path the user typed, for "see 'sifsign key list --help'".</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
        {
            if (result is CommandResult command)
            {
                names.Add(command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Writes cobra's deprecation line for each deprecated spelling used.</summary>
    public static void WarnDeprecated(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command.Name;
        foreach (var token in parse.Tokens.Where(t => t.Type == TokenType.Option))
        {
            foreach (var (_, _, name, advice) in Deprecated.Where(d => d.Command == command && d.Alias == token.Value))
            {
                error.WriteLine($"Flag --{name} has been deprecated, {advice}");
            }
        }
    }

    // A word that looks like an option but is no option of the command: System.CommandLine
    // classifies it as an argument. Words given as option values ("-P -secret-") and everything
    // after "--" are the user's data.
    private static string? FindUnknownOption(ParseResult parse)
    {
        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        Collect(parse.RootCommandResult, optionValues);
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-'
                && !optionValues.Contains(token) && !IsNumber(token.Value))
            {
                return token.Value;
            }
        }

        return null;
    }

    private static void Collect(SymbolResult result, HashSet<Token> optionValues)
    {
        if (result is OptionResult option)
        {
            foreach (var token in option.Tokens)
            {
                optionValues.Add(token);
            }
        }

        if (result is CommandResult command)
        {
            foreach (var child in command.Children)
            {
                Collect(child, optionValues);
            }
        }
    }

    private static bool IsNumber(string value) => long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _);
}
