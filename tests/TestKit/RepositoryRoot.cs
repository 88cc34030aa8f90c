using System.Reflection;

namespace TestKit;

/// <summary>Locates the repository root (the folder holding Keyserver.sln): the server's content root in tests.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>Absolute path of the folder that contains Keyserver.sln.</summary>
    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Keyserver.sln")))
            {
                return dir.FullName;
            }
        }

        // Artifacts built outside the tree (--artifacts-path /tmp/...): the project file records where
        // the repository was at build time.
        var recorded = typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(System.IO.Path.Combine(recorded, "Keyserver.sln")))
        {
            return System.IO.Path.GetFullPath(recorded);
        }

        throw new InvalidOperationException(
            $"Keyserver.sln not found above {AppContext.BaseDirectory} nor at the build-time path '{recorded}'.");
    }
}
