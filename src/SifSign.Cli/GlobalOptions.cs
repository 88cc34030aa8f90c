using System.CommandLine;
using SifSign.Keys;

namespace SifSign.Cli;

/// <summary>Options shared by several commands, created once per command tree.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> KeysDir { get; } = new("--keysdir", "-d")
    {
        Description = $"Keys directory (default: ${KeysDirectory.KeysDirVariable}, else ~/.apptainer/keys)",
        Recursive = true,
    };

    public static Option<string?> CreateUrlOption() => new("--url", "-u")
    {
        Description = "Keyserver URL: hkp://, hkps://, http:// or https:// (default: $SIFSIGN_KEYSERVER, else the first 'sifsign keyserver add' entry)",
    };

    public static Option<FileInfo?> CreatePassphraseFileOption() => new("--passphrase-file")
    {
        Description = "Read the key passphrase from the first line of this file (else $SIFSIGN_PASSPHRASE, else a prompt)",
    };

    /// <summary>
    /// The keyring in the resolved keys directory. As Apptainer, a keys directory others can read is
    /// put back to 0700 with a warning: it holds the private keyring.
    /// </summary>
    public Keyring OpenKeyring(ParseResult parse, CliContext context)
    {
        var keyring = new Keyring(KeysDirectory.Resolve(parse.GetValue(KeysDir), context.GetEnvironmentVariable, context.HomeDirectory));
        if (!OperatingSystem.IsWindows() && Directory.Exists(keyring.Directory))
        {
            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            var mode = File.GetUnixFileMode(keyring.Directory);
            if (mode != Private)
            {
                try
                {
                    File.SetUnixFileMode(keyring.Directory, Private);
                    context.Warning($"keys directory {keyring.Directory} had mode {Convert.ToString((int)mode, 8)}; set it to 700");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    context.Warning($"keys directory {keyring.Directory} has mode {Convert.ToString((int)mode, 8)}, not 700: {e.Message}");
                }
            }
        }

        return keyring;
    }
}
