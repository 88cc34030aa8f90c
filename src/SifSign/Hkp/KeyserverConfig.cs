using Tomlyn;
using Tomlyn.Model;

namespace SifSign.Hkp;

/// <summary>
/// The keyservers a user added with <c>sifsign keyserver add</c>, kept in a small TOML file
/// (<c>keyservers = ["https://…"]</c>) under the user's configuration directory.
/// </summary>
public sealed class KeyserverConfig
{
    /// <summary>Environment variable naming the keyserver to use (after <c>--url</c>).</summary>
    public const string KeyserverVariable = "SIFSIGN_KEYSERVER";

    private const string KeyserversKey = "keyservers";

    /// <summary>Opens (without touching the disk) the configuration file at <paramref name="path"/>.</summary>
    public KeyserverConfig(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    /// <summary>The configuration file.</summary>
    public string Path { get; }

    /// <summary>
    /// The default location: <c>$XDG_CONFIG_HOME/sifsign/config.toml</c>, else
    /// <c>~/.config/sifsign/config.toml</c>.
    /// </summary>
    public static string DefaultPath(Func<string, string?> getEnvironmentVariable, string homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var configHome = getEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrWhiteSpace(configHome) || !System.IO.Path.IsPathRooted(configHome))
        {
            configHome = System.IO.Path.Combine(homeDirectory, ".config");
        }

        return System.IO.Path.Combine(configHome, "sifsign", "config.toml");
    }

    /// <summary>The configured keyservers, first one first; empty when the file does not exist.</summary>
    /// <exception cref="HkpException">The file exists but cannot be read or parsed.</exception>
    public IReadOnlyList<string> Read()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HkpException($"cannot read {Path}: {e.Message}", e);
        }

        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new HkpException($"{Path} is not valid TOML: {e.Message}", e);
        }

        if (!table.TryGetValue(KeyserversKey, out var value))
        {
            return [];
        }

        if (value is not TomlArray array || array.Any(item => item is not string))
        {
            throw new HkpException($"{Path}: '{KeyserversKey}' must be an array of URL strings");
        }

        return array.Cast<string>().ToArray();
    }

    /// <summary>Appends a keyserver; false when it is already listed.</summary>
    /// <exception cref="HkpException">The URL is invalid or the file cannot be written.</exception>
    public bool Add(string url)
    {
        if (!KeyserverAddress.TryParse(url, out _, out var error))
        {
            throw new HkpException(error!);
        }

        var list = Read().ToList();
        if (list.Contains(url, StringComparer.Ordinal))
        {
            return false;
        }

        list.Add(url);
        Write(list);
        return true;
    }

    /// <summary>Removes a keyserver; false when it was not listed.</summary>
    /// <exception cref="HkpException">The file cannot be written.</exception>
    public bool Remove(string url)
    {
        var list = Read().ToList();
        if (!list.Remove(url))
        {
            return false;
        }

        Write(list);
        return true;
    }

    private void Write(IReadOnlyList<string> keyservers)
    {
        var array = new TomlArray();
        foreach (var url in keyservers)
        {
            array.Add(url);
        }

        var table = new TomlTable { [KeyserversKey] = array };
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = Path + ".tmp";
            File.WriteAllText(temporary, TomlSerializer.Serialize(table));
            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HkpException($"cannot write {Path}: {e.Message}", e);
        }
    }
}
