namespace SifSign.Cli.Console;

/// <summary>The process's own console.</summary>
internal sealed class SystemTerminal : ITerminal
{
    public bool IsInteractive => !System.Console.IsInputRedirected;

    public bool IsErrorTerminal => !System.Console.IsErrorRedirected;

    public string? ReadLine(string prompt)
    {
        System.Console.Error.Write(prompt);
        return System.Console.In.ReadLine();
    }

    public char[]? ReadSecret(string prompt)
    {
        System.Console.Error.Write(prompt);
        if (System.Console.IsInputRedirected)
        {
            return System.Console.In.ReadLine()?.ToCharArray();
        }

        var buffer = new List<char>();
        while (true)
        {
            var key = System.Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    System.Console.Error.WriteLine();
                    return buffer.ToArray();
                case ConsoleKey.Backspace:
                    if (buffer.Count > 0)
                    {
                        buffer.RemoveAt(buffer.Count - 1);
                    }

                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        buffer.Add(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
