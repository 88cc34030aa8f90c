using SifSign.Text;
using Tomlyn;
using Tomlyn.Model;

namespace SifSign.Hkp;

/// <summary>
/// The keyservers a user added with <c>sifsign keyserver add</c>, kept in a small TOML file
/// (<c>keyservers = ["https://…"]</c>, <c>insecure = [...]</c>, <c>[[credentials]]</c>) under the
/// user's configuration directory, written at mode 0600 because it may hold passwords.
/// </summary>
public sealed class KeyserverConfig
{
    /// <summary>Environment variable naming the keyserver to use (after <c>--url</c>).</summary>
    public const string KeyserverVariable = "SIFSIGN_KEYSERVER";

    private const string KeyserversKey = "keyservers";
    private const string InsecureKey = "insecure";
    private const string CredentialsKey = "credentials";

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
    /// <c>~/.config/sifsign/config.toml</c>; null when neither is usable (no absolute
    /// <c>XDG_CONFIG_HOME</c> and no home directory), never a path relative to the working directory.
    /// </summary>
    public static string? DefaultPath(Func<string, string?> getEnvironmentVariable, string? homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var configHome = getEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrWhiteSpace(configHome) || !System.IO.Path.IsPathRooted(configHome))
        {
            if (string.IsNullOrEmpty(homeDirectory) || !System.IO.Path.IsPathRooted(homeDirectory))
            {
                return null;
            }

            configHome = System.IO.Path.Combine(homeDirectory, ".config");
        }

        return System.IO.Path.Combine(configHome, "sifsign", "config.toml");
    }

    /// <summary>The configured keyservers, first one first; empty when the file does not exist.</summary>
    /// <exception cref="HkpException">The file exists but cannot be read or parsed.</exception>
    public IReadOnlyList<string> Read() => Load().Urls;

    /// <summary>True when <paramref name="url"/> was added with <c>--insecure</c> (TLS certificates not checked).</summary>
    /// <exception cref="HkpException">The file exists but cannot be read or parsed.</exception>
    public bool IsInsecure(string url) => Load().Insecure.Contains(url);

    /// <summary>The credentials stored by <see cref="Login"/> for exactly this URL, or null.</summary>
    /// <exception cref="HkpException">The file exists but cannot be read or parsed.</exception>
    public KeyserverCredentials? FindCredentials(string url) =>
        Load().Credentials.TryGetValue(url, out var credentials) ? credentials : null;

    /// <summary>Appends a keyserver; false when it is already listed.</summary>
    /// <exception cref="HkpException">The URL is invalid or the file cannot be written.</exception>
    public bool Add(string url) => Add(url, order: null, insecure: false);

    /// <summary>
    /// Adds a keyserver at position <paramref name="order"/> (1 = first, the default one; null or past
    /// the end = last); false when it is already listed.
    /// </summary>
    /// <exception cref="HkpException">The URL is invalid or the file cannot be written.</exception>
    public bool Add(string url, int? order, bool insecure)
    {
        if (!KeyserverAddress.TryParse(url, out _, out var error))
        {
            throw new HkpException(error!);
        }

        var model = Load();
        if (model.Urls.Contains(url, StringComparer.Ordinal))
        {
            return false;
        }

        var index = order is { } o ? Math.Clamp(o - 1, 0, model.Urls.Count) : model.Urls.Count;
        model.Urls.Insert(index, url);
        if (insecure)
        {
            model.Insecure.Add(url);
        }

        Save(model);
        return true;
    }

    /// <summary>Removes a keyserver and anything stored for it; false when it was not listed.</summary>
    /// <exception cref="HkpException">The file cannot be written.</exception>
    public bool Remove(string url)
    {
        var model = Load();
        if (!model.Urls.Remove(url))
        {
            return false;
        }

        model.Insecure.Remove(url);
        model.Credentials.Remove(url);
        Save(model);
        return true;
    }

    /// <summary>Stores credentials for <paramref name="url"/>, replacing earlier ones. The file is kept at mode 0600.</summary>
    /// <exception cref="HkpException">The URL is invalid or the file cannot be written.</exception>
    public void Login(string url, KeyserverCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!KeyserverAddress.TryParse(url, out _, out var error))
        {
            throw new HkpException(error!);
        }

        var model = Load();
        model.Credentials[url] = credentials;
        Save(model);
    }

    /// <summary>Forgets the credentials of <paramref name="url"/>; false when there were none.</summary>
    /// <exception cref="HkpException">The file cannot be written.</exception>
    public bool Logout(string url)
    {
        var model = Load();
        if (!model.Credentials.Remove(url))
        {
            return false;
        }

        Save(model);
        return true;
    }

    private Model Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Model();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HkpException($"cannot read {Path}: {e.Message}", e);
        }

        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize(text, TomlModel.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new HkpException($"{Path} is not valid TOML: {e.Message}", e);
        }

        var model = new Model();
        model.Urls.AddRange(Strings(table, KeyserversKey));
        model.Insecure.UnionWith(Strings(table, InsecureKey));
        if (table.TryGetValue(CredentialsKey, out var value))
        {
            if (value is not TomlTableArray logins)
            {
                throw new HkpException($"{Path}: '{CredentialsKey}' must be an array of tables");
            }

            foreach (var login in logins)
            {
                if (login.TryGetValue("url", out var url) && url is string u
                    && login.TryGetValue("username", out var user) && user is string name
                    && login.TryGetValue("password", out var password) && password is string secret)
                {
                    model.Credentials[u] = new KeyserverCredentials(name, secret);
                }
                else
                {
                    throw new HkpException($"{Path}: each '{CredentialsKey}' entry needs the strings url, username and password");
                }
            }
        }

        return model;
    }

    private IEnumerable<string> Strings(TomlTable table, string key)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return [];
        }

        if (value is not TomlArray array || array.Any(item => item is not string))
        {
            throw new HkpException($"{Path}: '{key}' must be an array of URL strings");
        }

        return array.Cast<string>();
    }

    private void Save(Model model)
    {
        var table = new TomlTable { [KeyserversKey] = ToArray(model.Urls) };
        var insecure = model.Urls.Where(model.Insecure.Contains).ToList();
        if (insecure.Count > 0)
        {
            table[InsecureKey] = ToArray(insecure);
        }

        if (model.Credentials.Count > 0)
        {
            var logins = new TomlTableArray();
            foreach (var (url, credentials) in model.Credentials.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                logins.Add(new TomlTable { ["url"] = url, ["username"] = credentials.Username, ["password"] = credentials.Password });
            }

            table[CredentialsKey] = logins;
        }

        var temporary = Path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);

            // Created 0600 before anything is written: the file may hold passwords.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(new FileStream(temporary, options)))
            {
                writer.Write(TomlSerializer.Serialize(table, TomlModel.Default.TomlTable));
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new HkpException($"cannot write {Path}: {e.Message}", e);
        }
    }

    private static TomlArray ToArray(IEnumerable<string> values)
    {
        var array = new TomlArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    private sealed class Model
    {
        public List<string> Urls { get; } = [];

        public HashSet<string> Insecure { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, KeyserverCredentials> Credentials { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>A user name and password sent (HTTP Basic, RFC 7617) to one keyserver.</summary>
/// <param name="Username">The user name; it may not contain a colon (RFC 7617 §2).</param>
/// <param name="Password">The password or token.</param>
public sealed record KeyserverCredentials(string Username, string Password)
{
    /// <summary>Redacted, so a logged record never shows the password.</summary>
    public override string ToString() => $"{Username}:***";
}
