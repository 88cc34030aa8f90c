using Keyserver.Storage.LiteDb;

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
