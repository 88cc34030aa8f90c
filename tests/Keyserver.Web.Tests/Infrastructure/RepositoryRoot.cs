using System.Reflection;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>The repository root recorded at build time: the server's content root in tests.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } =
        typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
}
