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

    /// <summary>Apptainer's variable for the directory of <c>ecl.toml</c> and <c>global-pgp-public</c>.</summary>
    public const string ConfigDirectoryVariable = "APPTAINER_CONFDIR";

    /// <summary>Where Apptainer (installed from packages) keeps its configuration.</summary>
    public const string DefaultConfigDirectory = "/etc/apptainer";

    /// <summary><c>-g/--global</c> of Apptainer's key import/export/list/pull/push/remove.</summary>
    public static Option<bool> CreateGlobalOption() => new("--global", "-g")
    {
        Description = $"Use the global public keyring administrators manage (${ConfigDirectoryVariable}/global-pgp-public, else {DefaultConfigDirectory}/global-pgp-public); writing it needs write access there",
    };

    /// <summary>The directory holding <c>global-pgp-public</c>: <c>$APPTAINER_CONFDIR</c>, else <c>/etc/apptainer</c>.</summary>
    public static string ConfigDirectory(CliContext context) =>
        context.GetEnvironmentVariable(ConfigDirectoryVariable) is { Length: > 0 } directory ? Path.GetFullPath(directory) : DefaultConfigDirectory;

    /// <summary>The global public keyring, or the user's keyring when <paramref name="global"/> is unset.</summary>
    public Keyring OpenKeyring(ParseResult parse, CliContext context, Option<bool> global) =>
        parse.GetValue(global) ? Keyring.Global(ConfigDirectory(context)) : OpenKeyring(parse, context);

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
