using System.Globalization;
using LiteDB;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// Integrity checks of a database file with what LiteDB 5 offers: its catalogue, the page list of
/// the <c>$dump</c> system collection, and reading every document of every collection. LiteDB keeps
/// no checksums, so a flipped bit in a document's body is found only if it breaks the encoding.
/// </summary>
public static class StoreCheck
{
    /// <summary>The one line that tells an operator what to run.</summary>
    public const string Remedy = "run 'Keyserver.Web check' for details and 'Keyserver.Web repair' to rebuild it (the damaged file is kept beside it)";

    /// <summary>The exception for a damaged file: one line naming it and the remedy.</summary>
    public static StoreDamagedException Damaged(string path, string reason, Exception? inner = null) =>
        new($"The key database '{path}' is damaged ({reason}); {Remedy}.", inner);

    /// <summary>
    /// Refuses to create a new store where one existed: LiteDB opens a 0-byte or missing file as a
    /// new empty database, which would silently serve nothing in place of the lost keys.
    /// </summary>
    /// <exception cref="StoreDamagedException">The file is empty, or missing beside its log or lock file.</exception>
    public static void RefuseMissingOrEmpty(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists)
        {
            if (file.Length == 0)
            {
                throw new StoreDamagedException(
                    $"The key database '{path}' is empty (0 bytes), not a database; restore it from a backup, or delete it to start an empty store.");
            }

            return;
        }

        var evidence = new[] { LiteDbContext.LogPathOf(path), path + ".lock" }.FirstOrDefault(File.Exists);
        if (evidence is not null)
        {
            throw new StoreDamagedException(
                $"The key database '{path}' is missing although '{evidence}' shows a store was here; restore it from a backup, or delete '{evidence}' to start an empty store.");
        }
    }

    // LiteDB 5's page size: the file is a whole number of pages.
    private const long PageSize = 8192;

    /// <summary>
    /// The start-up check, in time that does not grow with the store: the header against the file's
    /// length (a file cut short), the catalogue, and the first and last document of each collection
    /// by its primary index (a damaged collection, index or data page on the way). After a crash
    /// (a log file with content) the page list is read whole as well. The full check reads everything.
    /// </summary>
    /// <exception cref="StoreDamagedException">The check failed.</exception>
    public static void Quick(LiteDatabase database, string path)
    {
        ArgumentNullException.ThrowIfNull(database);
        string? cutShort = null;
        try
        {
            // The file's length from the file system: LiteDB 5 reports it as a 32-bit number, which
            // turns negative past 2 GiB.
            var header = database.Execute("SELECT $ FROM $database").ToEnumerable().Single();
            var pages = Convert.ToInt64(header["lastPageID"].RawValue, CultureInfo.InvariantCulture) + 1;
            var length = new FileInfo(path).Length;
            var logPath = LiteDbContext.LogPathOf(path);
            if (File.Exists(logPath) && new FileInfo(logPath).Length > 0)
            {
                // Pages not yet copied into the data file live in the log: only the page list can tell.
                CheckPages(database);
            }
            else if (length < pages * PageSize)
            {
                cutShort = string.Create(CultureInfo.InvariantCulture, $"the file ends after {length} bytes, inside its {pages} pages");
            }

            foreach (var name in database.GetCollectionNames().ToList())
            {
                var collection = database.GetCollection(name);
                _ = collection.Query().OrderBy("_id").Limit(1).ToList();
                _ = collection.Query().OrderByDescending("_id").Limit(1).ToList();
            }
        }
        catch (Exception e) when (LiteDbContext.IsEngineFailure(e) || e is ArgumentException or OverflowException)
        {
            throw Damaged(path, LiteDbContext.OneLine(e), e);
        }

        if (cutShort is not null)
        {
            throw Damaged(path, cutShort);
        }
    }

    /// <summary>
    /// The full check: the page list, then every document of every collection read and counted
    /// against the collection's count. LiteDB closes its engine after an error it finds in the
    /// file, so each collection is read through a fresh <paramref name="open"/>.
    /// </summary>
    /// <returns>The problems found, one line each; empty when the file is sound.</returns>
    public static IReadOnlyList<string> Full(Func<LiteDatabase> open, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        var problems = new List<string>();
        List<string> names;
        try
        {
            using var database = open();
            CheckPages(database);
            names = database.GetCollectionNames().ToList();
        }
        catch (Exception e) when (LiteDbContext.IsEngineFailure(e) || e is ArgumentException or OverflowException)
        {
            problems.Add($"catalogue: {LiteDbContext.OneLine(e)}");
            return problems;
        }

        foreach (var name in names)
        {
            try
            {
                using var database = open();
                var collection = database.GetCollection(name);
                var count = collection.Count();
                var read = 0;
                foreach (var document in collection.FindAll())
                {
                    _ = document["_id"];
                    read++;
                }

                if (read != count)
                {
                    problems.Add($"{name}: the index counts {count} documents, {read} could be read");
                }

                progress?.Invoke($"{name}: {read} documents");
            }
            catch (Exception e) when (LiteDbContext.IsEngineFailure(e) || e is ArgumentException or OverflowException)
            {
                problems.Add($"{name}: {LiteDbContext.OneLine(e)}");
            }
        }

        return problems;
    }

    // $dump lists every page of the file with its header; a page whose header is not a valid page
    // type, or a file cut inside a page, throws here.
    private static void CheckPages(LiteDatabase database)
    {
        using var pages = database.Execute("SELECT $ FROM $dump");
        while (pages.Read())
        {
        }
    }
}
