using System.CommandLine;
using Keyserver.Storage.LiteDb;
using Keyserver.Web.Options;
using LiteDB;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Commands;

/// <summary>
/// The <c>check</c> and <c>repair</c> commands. They read only the storage options: the database
/// is opened by the command itself, since the server's start-up check would refuse a damaged file.
/// </summary>
internal static class StoreCommands
{
    public static Command Check()
    {
        var command = new Command("check", "Read the whole key database and report damage (the server must be stopped).");
        command.SetAction(_ => WithDatabasePath(path => new CheckCommand(Console.Out, Console.Error).Run(path)));
        return command;
    }

    public static Command Repair()
    {
        var command = new Command("repair", "Keep a copy of a damaged key database and rebuild it from what is readable (the server must be stopped).");
        command.SetAction(_ => WithDatabasePath(path => new RepairCommand(Console.Out, Console.Error, TimeProvider.System).Run(path)));
        return command;
    }

    private static int WithDatabasePath(Func<string, ExitCode> run)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            Configuration = configuration,
        });
        builder.Services.AddKeyserverOptions();
        using var host = builder.Build();
        string path;
        try
        {
            path = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value
                .ResolveDatabasePath(host.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"Invalid configuration: {e.Message}");
            return (int)ExitCode.Configuration;
        }

        return (int)run(path);
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
