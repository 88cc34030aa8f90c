using System.CommandLine;
using Keyserver.Core.Admin;
using Keyserver.Core.Ingest;
using Keyserver.Core.Storage;
using Keyserver.Web.Control;
using Keyserver.Web.Hosting;
using Keyserver.Web.Observability;
using Keyserver.Web.Options;

namespace Keyserver.Web.Commands;

/// <summary>
/// The maintenance commands run instead of the web host when the first argument names one:
/// <c>import</c>, <c>dump</c>, <c>block</c>, <c>unblock</c>, <c>delete</c>, <c>audit export</c>, <c>healthcheck</c>,
/// <c>check</c> and <c>repair</c>. Any other arguments go to the web host.
/// </summary>
/// <remarks>
/// <c>import</c>, <c>dump</c>, <c>block</c>, <c>unblock</c>, <c>delete</c> and <c>audit</c> first try the running
/// server's control socket (<see cref="ControlSocket"/>) and run inside it; without a server they open the store themselves.
/// </remarks>
internal static class KeyserverCommandLine
{
    // --help and --version describe the server as a whole, so System.CommandLine answers them too.
    private static readonly string[] CommandNames =
        ["import", "dump", "block", "unblock", "delete", "audit", "healthcheck", "check", "repair", "migrate", "--help", "-h", "-?", "--version"];

    // The commands a running server can run for its caller, over the control socket.
    private static readonly string[] ServerCommands = ["import", "dump", "block", "unblock", "delete", "audit"];

    public static bool IsCommand(string[] args) => args.Length > 0 && CommandNames.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && ServerCommands.Contains(args[0], StringComparer.Ordinal) && ControlSocketPath() is { } path
            && await ControlClient.TryRunAsync(path, args, Console.Out, Console.Error, CancellationToken.None) is { } code)
        {
            return code;
        }

        var parsed = Build().Parse(args);
        // import handles SIGINT and SIGTERM itself (ImportSignals): it stops after the keys in flight
        // instead of being abandoned when the parser's grace period runs out.
        return await (parsed.CommandResult.Command.Name == "import"
            ? parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null })
            : parsed.InvokeAsync());
    }

    /// <summary>Runs <paramref name="args"/> with <paramref name="host"/>'s output and services (inside the server).</summary>
    public static Task<int> InvokeAsync(CommandHost host, string[] args, CancellationToken cancellationToken) =>
        Build(host).Parse(args).InvokeAsync(new InvocationConfiguration { Output = host.Output, Error = host.Error }, cancellationToken);

    internal static RootCommand Build() => Build(new CommandHost(Console.Out, Console.Error, Directory.GetCurrentDirectory(), WithServicesAsync));

    internal static RootCommand Build(CommandHost host)
    {
        var files = new Argument<string[]>("files") { Description = "Keyring files, armored or binary, many keys each.", Arity = ArgumentArity.OneOrMore };
        var publish = new Option<bool>("--publish") { Description = "Publish every valid identity without e-mail confirmation." };
        var import = new Command("import", "Load keyring files into the store through the upload pipeline.") { files, publish };
        import.SetAction((result, cancellationToken) => host.WithServicesAsync(
            async services =>
            {
                // Run by itself, import takes SIGINT and SIGTERM (ImportSignals); inside the server, the
                // server's own shutdown stops it. Either way the keys in flight are written whole.
                using var signals = host.OnServer ? null : new ImportSignals(host.Error);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(
                    signals?.Stop ?? CancellationToken.None, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
                return await new ImportCommand(
                        services.GetRequiredService<KeySubmission>(), host.Output, host.Error,
                        host.OnServer || Console.IsErrorRedirected ? null : Console.Error,
                        services.GetService<OperatorPolicy>(), services.GetService<KeyserverMetrics>())
                    .RunAsync([.. result.GetRequiredValue(files).Select(host.FullPath)], result.GetValue(publish), stop.Token, cancellationToken);
            },
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
        dump.SetAction((result, cancellationToken) => host.WithServicesAsync(
            services => new DumpCommand(services.GetRequiredService<IKeyStore>(), host.Output, host.Error)
                .RunAsync(host.FullPath(result.GetRequiredValue(directory)), result.GetValue(keysPerFile), cancellationToken),
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

        var root = new RootCommand(
            "Keyserver: an HKP OpenPGP keyserver with e-mail verification and a web portal.\n\n"
            + "Without a command it runs the server. Settings come from appsettings.json in the working directory,\n"
            + "environment variables (Storage__DataDirectory=/srv/ks) and arguments (--Storage:DataDirectory=/srv/ks,\n"
            + "--urls http://0.0.0.0:11371); docs/operations.md lists every key. The commands below maintain the store.")
        { import, dump };
        foreach (var command in AdminCommandLine.Build(host))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(health);
        root.Subcommands.Add(StoreCommands.Check());
        root.Subcommands.Add(StoreCommands.Repair());
        root.Subcommands.Add(Migrate());
        return root;
    }

    /// <summary>The control socket's path from the same configuration the server reads, or null when it is off.</summary>
    private static string? ControlSocketPath()
    {
        var builder = CommandBuilder();
        var (enabled, path) = ControlOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        return enabled ? path : null;
    }

    private static HostApplicationBuilder CommandBuilder()
    {
        // A one-shot command never reloads its configuration. With reloading on, the default host
        // watches the content root recursively, and with the data directory below it every page the
        // import writes wakes the watcher.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        return Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            Configuration = configuration,
        });
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
        var builder = CommandBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Standard output is the command's own (audit export writes JSON lines there): logs go to stderr,
        // and the host's start and stop notes, which appsettings.json raises to Information, stay out.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
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
