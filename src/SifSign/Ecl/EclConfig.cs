using System.Globalization;
using SifSign.Text;
using Tomlyn;
using Tomlyn.Model;

namespace SifSign.Ecl;

/// <summary>
/// The Execution Control List configuration, <c>ecl.toml</c> (Apptainer's internal/pkg/syecl): parsed with Tomlyn and validated as
/// Apptainer's <c>ValidateConfig</c> does, reporting the first error.
/// </summary>
public sealed class EclConfig
{
    private static readonly string[] TopLevelKeys = ["activated", "legacyinsecure", "execgroup"];
    private static readonly string[] GroupKeys = ["tagname", "mode", "dirpath", "keyfp"];

    /// <summary>Creates a configuration (already validated by the caller).</summary>
    public EclConfig(bool activated, bool legacyInsecure, IReadOnlyList<EclExecGroup> execGroups)
    {
        ArgumentNullException.ThrowIfNull(execGroups);
        Activated = activated;
        LegacyInsecure = legacyInsecure;
        ExecGroups = execGroups;
    }

    /// <summary><c>activated</c>: false allows every image.</summary>
    public bool Activated { get; }

    /// <summary><c>legacyinsecure</c>: verify legacy signatures on the primary partition only (the caller's verifier does this).</summary>
    public bool LegacyInsecure { get; }

    /// <summary>The <c>[[execgroup]]</c> tables, in file order.</summary>
    public IReadOnlyList<EclExecGroup> ExecGroups { get; }

    /// <summary>Parses and validates <paramref name="toml"/>, resolving dirpaths against the real file system.</summary>
    /// <exception cref="EclConfigException">TOML syntax, a wrong type, an unknown key, or the first validation error.</exception>
    public static EclConfig Parse(string toml) => Parse(toml, ResolveDirectory);

    /// <summary>Parses and validates with a custom directory resolver (absolute path → path with symlinks resolved).</summary>
    /// <exception cref="EclConfigException">As <see cref="Parse(string)"/>.</exception>
    public static EclConfig Parse(string toml, Func<string, string> resolveDirectory)
    {
        ArgumentNullException.ThrowIfNull(toml);
        ArgumentNullException.ThrowIfNull(resolveDirectory);
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize(toml, TomlModel.Default.TomlTable)
                ?? throw new EclConfigException("ECL configuration is empty");
        }
        catch (TomlException ex)
        {
            throw new EclConfigException($"ECL configuration is not valid TOML: {ex.Message}", ex);
        }

        RejectUnknownKeys(model, TopLevelKeys, "ECL configuration");
        var activated = Optional(model, "activated", false, "ECL configuration");
        var legacy = Optional(model, "legacyinsecure", false, "ECL configuration");
        var groups = new List<EclExecGroup>();
        if (model.TryGetValue("execgroup", out var value))
        {
            if (value is not TomlTableArray tables)
            {
                throw new EclConfigException("execgroup must be an array of tables ([[execgroup]])");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                groups.Add(ParseGroup(table, groups.Count, seen, resolveDirectory));
            }
        }

        return new EclConfig(activated, legacy, groups);
    }

    private static EclExecGroup ParseGroup(TomlTable table, int index, HashSet<string> seenDirPaths, Func<string, string> resolveDirectory)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"execgroup #{index + 1}");
        RejectUnknownKeys(table, GroupKeys, where);
        var tag = Optional(table, "tagname", string.Empty, where);
        if (tag.Length > 0)
        {
            where += $" ({tag})";
        }

        var modeText = Optional(table, "mode", string.Empty, where);
        var dirPath = Optional(table, "dirpath", string.Empty, where);
        var fingerprints = new List<string>();
        if (table.TryGetValue("keyfp", out var keyfp))
        {
            if (keyfp is not TomlArray array)
            {
                throw new EclConfigException($"{where}: keyfp must be an array of strings");
            }

            foreach (var item in array)
            {
                fingerprints.Add(item as string ?? throw new EclConfigException($"{where}: keyfp must be an array of strings"));
            }
        }

        // Checks in Apptainer's order: duplicate dirpath, canonical dirpath, mode, fingerprints.
        if (!seenDirPaths.Add(dirPath))
        {
            throw new EclConfigException($"{where}: a specific dirpath can only appear in one execgroup: {dirPath}");
        }

        if (dirPath.Length > 0)
        {
            CheckCanonical(dirPath, where, resolveDirectory);
        }

        var mode = modeText switch
        {
            "whitelist" => EclMode.Whitelist,
            "whitestrict" => EclMode.Whitestrict,
            "blacklist" => EclMode.Blacklist,
            _ => throw new EclConfigException(
                $"{where}: the mode field can only be either: whitelist, whitestrict, blacklist (found \"{modeText}\")"),
        };

        foreach (var fingerprint in fingerprints)
        {
            if (fingerprint.Length != 40 || !fingerprint.All(char.IsAsciiHexDigit))
            {
                throw new EclConfigException($"{where}: expecting a 40 chars hex fingerprint string (found \"{fingerprint}\")");
            }
        }

        return new EclExecGroup(tag, mode, dirPath, fingerprints);
    }

    private static void CheckCanonical(string dirPath, string where, Func<string, string> resolveDirectory)
    {
        if (!Path.IsPathFullyQualified(dirPath))
        {
            throw new EclConfigException($"{where}: dirpath {dirPath} must be an absolute path");
        }

        string resolved;
        try
        {
            resolved = resolveDirectory(dirPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EclConfigException($"{where}: dirpath {dirPath}: {ex.Message}", ex);
        }

        if (!string.Equals(resolved, dirPath, StringComparison.Ordinal))
        {
            throw new EclConfigException(
                $"{where}: all execgroup dirpath`s should be fully cleaned with symlinks resolved ({dirPath} resolves to {resolved})");
        }
    }

    /// <summary>Go's <c>filepath.EvalSymlinks</c> + <c>Abs</c>: every component resolved; the path must exist.</summary>
    private static string ResolveDirectory(string path)
    {
        var resolved = Path.DirectorySeparatorChar.ToString();
        var pending = new Stack<string>(Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            var candidate = Path.Combine(resolved, part);
            var info = new FileInfo(candidate);
            if (info.LinkTarget is { } target)
            {
                // Go gives up after 255 links; a loop would otherwise never end.
                if (++links > 255)
                {
                    throw new IOException($"{path}: too many levels of symbolic links");
                }

                var absolute = Path.IsPathRooted(target) ? target : Path.Combine(resolved, target);
                foreach (var next in Path.GetFullPath(absolute).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(next);
                }

                resolved = Path.DirectorySeparatorChar.ToString();
                continue;
            }

            if (!info.Exists && !Directory.Exists(candidate))
            {
                throw new IOException($"lstat {candidate}: no such file or directory");
            }

            resolved = candidate;
        }

        return resolved;
    }

    private static void RejectUnknownKeys(TomlTable table, string[] known, string where)
    {
        // Stricter than Apptainer (which ignores them): a misspelt "activated" must not silently disable the ECL.
        var unknown = table.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new EclConfigException($"{where}: unknown key \"{unknown}\"");
        }
    }

    private static T Optional<T>(TomlTable table, string key, T fallback, string where) =>
        !table.TryGetValue(key, out var value) ? fallback
        : value is T typed ? typed
        : throw new EclConfigException($"{where}: {key} must be a {(typeof(T) == typeof(bool) ? "boolean" : "string")}");
}
