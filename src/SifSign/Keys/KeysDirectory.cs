namespace SifSign.Keys;

/// <summary>
/// Finds the directory that holds the local keyrings, in the place Apptainer uses, so keys a user
/// already has keep working and keys added here are seen by Apptainer.
/// </summary>
public static class KeysDirectory
{
    /// <summary>Environment variable that names the keys directory (Apptainer's own).</summary>
    public const string KeysDirVariable = "APPTAINER_KEYSDIR";

    /// <summary>
    /// Resolves the keys directory: <paramref name="option"/> (the <c>--keysdir</c> flag), else
    /// <c>$APPTAINER_KEYSDIR</c>, else <c>~/.apptainer/keys</c>. Without a usable home directory
    /// (null: <c>HOME</c> unset or missing, as for service and CI users) there is no default: a
    /// keyring relative to the working directory would be picked up or written by accident.
    /// </summary>
    /// <param name="option">The value of the command-line option, or null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable (injected for tests).</param>
    /// <param name="homeDirectory">The user's home directory (absolute and existing), or null when there is none.</param>
    /// <returns>An absolute path; the directory may not exist yet.</returns>
    /// <exception cref="KeyringException">No option, no variable and no home directory.</exception>
    public static string Resolve(string? option, Func<string, string?> getEnvironmentVariable, string? homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Path.GetFullPath(option);
        }

        var fromEnvironment = getEnvironmentVariable(KeysDirVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        if (string.IsNullOrEmpty(homeDirectory) || !Path.IsPathRooted(homeDirectory))
        {
            throw new KeyringException($"no keys directory: HOME is unset or does not exist; pass --keysdir DIR or set {KeysDirVariable}");
        }

        return Path.Combine(homeDirectory, ".apptainer", "keys");
    }
}
