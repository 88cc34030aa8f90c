using Keyserver.Storage.LiteDb;
using LiteDB;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>check</c>: reads the whole database file (catalogue, page list, every document of every
/// collection) and lists what is damaged. The server must be stopped: the command takes the same
/// lock file the server holds.
/// </summary>
internal sealed class CheckCommand(TextWriter output, TextWriter error)
{
    public ExitCode Run(string databasePath)
    {
        using var owner = StoreFileAccess.TryLock(databasePath, error);
        if (owner is null)
        {
            return ExitCode.Failure;
        }

        try
        {
            StoreCheck.RefuseMissingOrEmpty(databasePath);
        }
        catch (StoreDamagedException e)
        {
            error.WriteLine(e.Message);
            return ExitCode.StoreDamaged;
        }

        if (!File.Exists(databasePath))
        {
            error.WriteLine($"{databasePath}: no database file.");
            return ExitCode.Failure;
        }

        var problems = StoreCheck.Full(() => StoreFileAccess.Open(databasePath), line => output.WriteLine(line));

        if (problems.Count == 0)
        {
            output.WriteLine($"{databasePath}: no damage found.");
            return ExitCode.Success;
        }

        foreach (var problem in problems)
        {
            error.WriteLine($"{databasePath}: {problem}");
        }

        error.WriteLine($"{databasePath}: damaged; run 'Keyserver.Web repair' to rebuild it.");
        return ExitCode.StoreDamaged;
    }
}

/// <summary>
/// <c>repair</c>: keeps a copy of the damaged file (and its log) beside it, then lets LiteDB rebuild
/// the file from what it can still read (<c>LiteDatabase.Rebuild</c>, which copies every readable
/// document into a fresh file and rebuilds the indexes), and checks the result.
/// </summary>
internal sealed class RepairCommand(TextWriter output, TextWriter error, TimeProvider time)
{
    public ExitCode Run(string databasePath)
    {
        using var owner = StoreFileAccess.TryLock(databasePath, error);
        if (owner is null)
        {
            return ExitCode.Failure;
        }

        if (!File.Exists(databasePath) || new FileInfo(databasePath).Length == 0)
        {
            error.WriteLine($"{databasePath}: nothing to repair (missing or empty); restore it from a backup or re-import a dump with 'Keyserver.Web import'.");
            return ExitCode.StoreDamaged;
        }

        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var backup = $"{databasePath}.damaged-{stamp}";
        File.Copy(databasePath, backup, overwrite: false);
        var log = LiteDbContext.LogPathOf(databasePath);
        if (File.Exists(log))
        {
            File.Copy(log, backup + "-log", overwrite: false);
        }

        output.WriteLine($"Kept the damaged file as {backup}.");
        try
        {
            using (var database = StoreFileAccess.Open(databasePath, autoRebuild: true))
            {
                var options = new LiteDB.Engine.RebuildOptions { IncludeErrorReport = true };
                database.Rebuild(options);
                foreach (var problem in options.GetErrorReport())
                {
                    output.WriteLine($"lost while rebuilding: {problem}");
                }
            }

            var problems = StoreCheck.Full(() => StoreFileAccess.Open(databasePath), line => output.WriteLine(line));
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    error.WriteLine($"{databasePath}: {problem}");
                }

                error.WriteLine($"{databasePath}: still damaged after the rebuild; restore it from a backup or re-import a dump with 'Keyserver.Web import'.");
                return ExitCode.StoreDamaged;
            }
        }
        catch (Exception e) when (LiteDbContext.IsEngineFailure(e) || e is ArgumentException or OverflowException)
        {
            error.WriteLine($"{databasePath}: cannot be rebuilt ({LiteDbContext.OneLine(e)}); restore it from a backup or re-import a dump with 'Keyserver.Web import'.");
            return ExitCode.StoreDamaged;
        }

        output.WriteLine($"{databasePath}: rebuilt; no damage found.");
        return ExitCode.Success;
    }
}

/// <summary>The database file as the maintenance commands open it: alone, without the server.</summary>
internal static class StoreFileAccess
{
    /// <summary>The server's lock file, or null (reason written) when a server holds it.</summary>
    public static FileStream? TryLock(string databasePath, TextWriter error)
    {
        var lockPath = databasePath + ".lock";
        if (!Directory.Exists(Path.GetDirectoryName(databasePath)))
        {
            error.WriteLine($"{databasePath}: the data directory does not exist.");
            return null;
        }

        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{databasePath}: in use by a running server or not lockable ('{lockPath}'); stop the server first.");
            return null;
        }
    }

    /// <summary>
    /// Opens the file. Only <c>repair</c> asks for LiteDB's auto-rebuild, which rewrites a file it
    /// finds invalid as it opens it; <c>check</c> must leave the file as it is.
    /// </summary>
    public static LiteDatabase Open(string databasePath, bool autoRebuild = false) =>
        new(new ConnectionString { Filename = databasePath, Connection = ConnectionType.Direct, AutoRebuild = autoRebuild });
}
