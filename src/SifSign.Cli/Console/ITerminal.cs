namespace SifSign.Cli.Console;

/// <summary>Questions asked of the user; prompts go to stderr so stdout stays clean for data.</summary>
internal interface ITerminal
{
    /// <summary>True when stdin is a terminal (a person can answer).</summary>
    bool IsInteractive { get; }

    /// <summary>True when stderr is a terminal (progress bars and colour make sense).</summary>
    bool IsErrorTerminal { get; }

    /// <summary>Prints <paramref name="prompt"/> and reads one line; null at end of input.</summary>
    string? ReadLine(string prompt);

    /// <summary>Prints <paramref name="prompt"/> and reads one line without echo on a terminal; null at end of input.</summary>
    char[]? ReadSecret(string prompt);
}
