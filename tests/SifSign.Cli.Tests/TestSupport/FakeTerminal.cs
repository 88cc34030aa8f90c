namespace SifSign.Cli.Tests.TestSupport;

/// <summary>A terminal that answers prompts from a queue and records what was asked.</summary>
internal sealed class FakeTerminal : ITerminal
{
    public Queue<string> Answers { get; } = new();

    public List<string> Prompts { get; } = [];

    public bool IsInteractive { get; set; }

    public bool IsErrorTerminal { get; set; }

    public string? ReadLine(string prompt)
    {
        Prompts.Add(prompt);
        return Answers.TryDequeue(out var answer) ? answer : null;
    }

    public char[]? ReadSecret(string prompt) => ReadLine(prompt)?.ToCharArray();
}
