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
    /// <c>$APPTAINER_KEYSDIR</c>, else <c>~/.apptainer/keys</c>.
    /// </summary>
    /// <param name="option">The value of the command-line option, or null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable (injected for tests).</param>
    /// <param name="homeDirectory">The user's home directory.</param>
    /// <returns>An absolute path; the directory may not exist yet.</returns>
    public static string Resolve(string? option, Func<string, string?> getEnvironmentVariable, string homeDirectory)
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

        return Path.Combine(homeDirectory, ".apptainer", "keys");
    }
}
