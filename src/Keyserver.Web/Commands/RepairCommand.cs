using Keyserver.Storage.LiteDb;

namespace Keyserver.Web.Commands;

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

                // A rebuild may have lost keys: the kept counts are taken again on the next open.
                database.DropCollection(LiteDbKeyStore.CountersCollection);
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
