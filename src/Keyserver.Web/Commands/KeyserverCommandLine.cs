using System.CommandLine;
using Keyserver.Core.Ingest;
using Keyserver.Core.Storage;
using Keyserver.Web.Hosting;

namespace Keyserver.Web.Commands;

/// <summary>
/// The maintenance commands run instead of the web host when the first argument names one:
/// <c>import</c>, <c>dump</c>, <c>healthcheck</c>, <c>check</c> and <c>repair</c>. Any other arguments go to the web host.
/// </summary>
internal static class KeyserverCommandLine
{
    // --help and --version describe the server as a whole, so System.CommandLine answers them too.
    private static readonly string[] CommandNames = ["import", "dump", "healthcheck", "check", "repair", "migrate", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string[] args) => args.Length > 0 && CommandNames.Contains(args[0], StringComparer.Ordinal);

    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();

    internal static RootCommand Build()
    {
        var files = new Argument<string[]>("files") { Description = "Keyring files, armored or binary, many keys each.", Arity = ArgumentArity.OneOrMore };
        var publish = new Option<bool>("--publish") { Description = "Publish every valid identity without e-mail confirmation." };
        var import = new Command("import", "Load keyring files into the store through the upload pipeline.") { files, publish };
        import.SetAction((result, cancellationToken) => WithServicesAsync(
            services => new ImportCommand(services.GetRequiredService<KeySubmission>(), Console.Out, Console.Error, services.GetService<Core.Admin.OperatorPolicy>())
                .RunAsync(result.GetRequiredValue(files), result.GetValue(publish), cancellationToken),
            cancellationToken));

        var directory = new Argument<string>("directory") { Description = "Directory to write the numbered keyring files to." };
        var keysPerFile = new Option<int>("--keys-per-file")
        {
            Description = "Keys per output file.",
            DefaultValueFactory = _ => DumpCommand.DefaultKeysPerFile,
        };
        keysPerFile.Validators.Add(result =>
        {
            // Reads the token itself: a value that is not a number already has its own parse error.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var count) && count < 1)
            {
                result.AddError("--keys-per-file must be at least 1.");
            }
        });
        var dump = new Command("dump", "Write every published key as binary keyring files.") { directory, keysPerFile };
        dump.SetAction((result, cancellationToken) => WithServicesAsync(
            services => new DumpCommand(services.GetRequiredService<IKeyStore>(), Console.Out, Console.Error)
                .RunAsync(result.GetRequiredValue(directory), result.GetValue(keysPerFile), cancellationToken),
            cancellationToken));

        var url = new Argument<Uri>("url")
        {
            Description = "The liveness endpoint to ask.",
            DefaultValueFactory = _ => new Uri(HealthCheckCommand.DefaultUrl),
            CustomParser = result =>
            {
                if (Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
                {
                    return parsed;
                }

                result.AddError("url must be an absolute http:// or https:// URL.");
                return null;
            },
        };
        var health = new Command("healthcheck", "Exit 0 when a running server answers its liveness endpoint.") { url };
        health.SetAction(async (result, cancellationToken) =>
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            return (int)await new HealthCheckCommand(client, Console.Error).RunAsync(result.GetRequiredValue(url), cancellationToken);
        });

        return new RootCommand(
            "Keyserver: an HKP OpenPGP keyserver with e-mail verification and a web portal.\n\n"
            + "Without a command it runs the server. Settings come from appsettings.json in the working directory,\n"
            + "environment variables (Storage__DataDirectory=/srv/ks) and arguments (--Storage:DataDirectory=/srv/ks,\n"
            + "--urls http://0.0.0.0:11371); docs/operations.md lists every key. The commands below maintain the store.")
        { import, dump, health, StoreCommands.Check(), StoreCommands.Repair(), Migrate() };
    }

    private static Command Migrate()
    {
        var from = new Option<string>("--from") { Description = "The store to copy: litedb:DIRECTORY or postgresql:CONNECTION-STRING.", Required = true };
        var to = new Option<string>("--to") { Description = "The empty store to copy into, in the same form.", Required = true };
        var migrate = new Command("migrate", "Copy every key, token, mail budget, queued mail, block and audit entry between a LiteDB data directory and PostgreSQL (servers stopped).") { from, to };
        migrate.SetAction(async (result, cancellationToken) => (int)await new MigrateCommand(Console.Out, Console.Error)
            .RunAsync(result.GetRequiredValue(from), result.GetRequiredValue(to), cancellationToken));
        return migrate;
    }

    /// <summary>
    /// Builds the same options and storage as the web host (appsettings.json in the working
    /// directory, environment variables) and validates them before running the command.
    /// </summary>
    private static async Task<int> WithServicesAsync(Func<IServiceProvider, Task<ExitCode>> run, CancellationToken cancellationToken)
    {
        // A one-shot command never reloads its configuration. With reloading on, the default host
        // watches the content root recursively, and with the data directory below it every page the
        // import writes wakes the watcher.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            Configuration = configuration,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The host logs a failed start with its stack trace; StartupFailure says it in one line instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddKeyserverOptions().AddKeyserverStorage();
        using var host = builder.Build();
        var stage = StartupStage.Configuration;
        try
        {
            await host.StartAsync(cancellationToken);
            stage = StartupStage.Store;
            host.Services.GetRequiredService<IKeyStore>();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await StartupFailure.ReportAsync(e, stage, Console.Error);
        }

        try
        {
            return (int)await run(host.Services);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
