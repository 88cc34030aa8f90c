using SifSign.Cli.Console;

namespace SifSign.Cli;

/// <summary>
/// Where passphrases come from: <c>--passphrase-file</c>, else <c>$SIFSIGN_PASSPHRASE</c>, else a
/// prompt (no echo on a terminal; one line from stdin in a pipeline).
/// </summary>
internal static class Passphrases
{
    public const string PassphraseVariable = "SIFSIGN_PASSPHRASE";

    /// <summary>The passphrase given without a prompt (file or environment), or null.</summary>
    public static char[]? FromNonInteractiveSource(FileInfo? passphraseFile, CliContext context)
    {
        if (passphraseFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(passphraseFile.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read passphrase file {passphraseFile.FullName}: {e.Message}", e);
            }

            var firstLine = text.Split('\n')[0].TrimEnd('\r');
            return firstLine.ToCharArray();
        }

        return context.GetEnvironmentVariable(PassphraseVariable)?.ToCharArray();
    }

    /// <summary>The passphrase from a non-interactive source, else asked once.</summary>
    public static char[] Get(FileInfo? passphraseFile, CliContext context, string prompt) =>
        FromNonInteractiveSource(passphraseFile, context)
        ?? context.Terminal.ReadSecret(prompt)
        ?? throw new CliException($"no passphrase given: use --passphrase-file or {PassphraseVariable}");

    /// <summary>A new passphrase: from a non-interactive source, else asked twice (empty allowed after confirmation).</summary>
    public static char[] GetNew(FileInfo? passphraseFile, CliContext context)
    {
        var given = FromNonInteractiveSource(passphraseFile, context);
        if (given is not null)
        {
            return given;
        }

        return GetNewFromTerminal(context);
    }

    /// <summary>A new passphrase asked twice on the terminal (empty allowed after confirmation), never from a file or variable.</summary>
    public static char[] GetNewFromTerminal(CliContext context)
    {
        ITerminal terminal = context.Terminal;
        var first = terminal.ReadSecret("Enter passphrase : ") ?? [];
        var second = terminal.ReadSecret(first.Length == 0 ? "No passphrase: press Enter again to confirm : " : "Retype passphrase : ") ?? [];
        if (!first.AsSpan().SequenceEqual(second))
        {
            throw new CliException("passphrases do not match");
        }

        return first;
    }
}
