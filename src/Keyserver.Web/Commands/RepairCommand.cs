using System.CommandLine;
using Keyserver.Web.Options;
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
