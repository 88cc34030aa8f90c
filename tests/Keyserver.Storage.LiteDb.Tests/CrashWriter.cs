using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.LiteDb.Tests;

/// <summary>
/// Entry point of the child process in the kill -9 test: writes records one answered update at a
/// time, says so, then waits to be killed without closing the database.
/// </summary>
public static class CrashWriter
{
    public const string Command = "crash-writer";
    public const string Committed = "committed";
    public const int RecordCount = 20;

    public static KeyRecord Record(int i) => Create(Fingerprint(i), $"Survivor {i} <s{i}@example.org>");

    public static async Task<int> Main(string[] args)
    {
        if (args is not [Command, var databasePath])
        {
            await Console.Error.WriteLineAsync($"usage: {Command} DATABASE");
            return 2;
        }

        var store = new LiteDbKeyStore(databasePath);
        for (var i = 0; i < RecordCount; i++)
        {
            var record = Record(i);
            await store.UpdateAsync(record.Fingerprint, _ => record);
        }

        Console.Out.WriteLine(Committed);
        Console.Out.Flush();
        await Task.Delay(Timeout.Infinite);

        // Keeps the store reachable: finalizers closing its files would be a clean exit, not a crash.
        GC.KeepAlive(store);
        return 0;
    }
}
