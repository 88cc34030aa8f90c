namespace Interop.Tests.Infrastructure;

/// <summary>Finds the external programs the interop tests drive, failing loudly when one is missing.</summary>
public static class Tools
{
    /// <summary>
    /// Returns the absolute path of <paramref name="program"/> on PATH, or throws naming the Debian
    /// package that provides it: a missing peer must fail the test, never skip it.
    /// </summary>
    public static string Require(string program, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{program}' is not installed: run `apt-get install -y {debianPackage}` (CI installs it in .ci/run).");
    }

    /// <summary>Returns <paramref name="path"/> if it exists, or throws naming the Debian package that provides it.</summary>
    public static string RequireFile(string path, string debianPackage) =>
        File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"'{path}' is missing: run `apt-get install -y {debianPackage}` (CI installs it in .ci/run).");
}
