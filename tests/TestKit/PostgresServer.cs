using System.Diagnostics;
using System.Globalization;

namespace TestKit;

/// <summary>
/// A PostgreSQL server for tests: the one named by <c>KEYSERVER_TEST_POSTGRES</c> (a connection string
/// to a superuser) when set, else a private cluster of Debian's <c>postgresql</c> (initdb into a temp
/// directory, started with <c>pg_ctl</c> on a free loopback port, the socket in that directory; run as
/// the <c>postgres</c> user when the tests run as root), stopped and deleted on dispose. Missing
/// binaries fail the test with the reason: it never skips silently.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string EnvironmentVariable = "KEYSERVER_TEST_POSTGRES";

    private readonly TempDirectory? _cluster;
    private readonly string? _binaries;
    private readonly List<string> _databases = [];

    public PostgresServer()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            AdminConnectionString = external;
            return;
        }

        _binaries = FindBinaries();
        _cluster = new TempDirectory("keyserver-pg-");
        try
        {
            var asRoot = Environment.UserName == "root";
            if (asRoot)
            {
                Run("chown", ["-R", "postgres:postgres", _cluster.Path]);
            }

            var data = _cluster.File("data");
            RunPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], asRoot);
            var port = LoopbackPort.Free();
            RunPostgres(
                "pg_ctl",
                ["-D", data, "-o", $"-p {port} -k {_cluster.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "-l", _cluster.File("log"), "-w", "start"],
                asRoot);
            AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
        }
        catch
        {
            _cluster.Dispose();
            throw;
        }
    }

    /// <summary>A connection string to a superuser on the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Creates an empty database and returns a connection string to it; dropped on dispose.</summary>
    public string CreateDatabase()
    {
        var name = "keyserver_test_" + Guid.NewGuid().ToString("N");
        Psql(AdminConnectionString, $"CREATE DATABASE {name}");
        lock (_databases)
        {
            _databases.Add(name);
        }

        return ConnectionStringFor(name);
    }

    /// <summary>The admin connection string with the database replaced by <paramref name="database"/>.</summary>
    public string ConnectionStringFor(string database)
    {
        var parts = AdminConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.TrimStart().StartsWith("Database=", StringComparison.OrdinalIgnoreCase));
        return string.Join(';', parts.Append("Database=" + database));
    }

    /// <summary>Runs SQL through <c>psql</c> (no driver in TestKit) and returns its unaligned output.</summary>
    public string Psql(string connectionString, string sql)
    {
        var map = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p.Length > 1 ? p[1].Trim() : "");
        var conninfo = string.Join(' ', new[] { ("host", "host"), ("port", "port"), ("username", "user"), ("database", "dbname"), ("password", "password") }
            .Where(k => map.ContainsKey(k.Item1))
            .Select(k => $"{k.Item2}='{map[k.Item1].Replace("'", "\\'", StringComparison.Ordinal)}'"));
        var psql = _binaries is null ? "psql" : Path.Combine(_binaries, "psql");
        if (!File.Exists(psql) && _binaries is not null)
        {
            psql = "psql";
        }

        return Run(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql]);
    }

    public void Dispose()
    {
        if (_cluster is null)
        {
            foreach (var name in _databases)
            {
                try
                {
                    Psql(AdminConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                }
                catch (InvalidOperationException)
                {
                    // Left for the server's owner; the name says where it came from.
                }
            }

            return;
        }

        try
        {
            RunPostgres("pg_ctl", ["-D", _cluster.File("data"), "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
        }
        catch (InvalidOperationException)
        {
            // Already gone; the directory goes anyway.
        }

        _cluster.Dispose();
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL tests need Debian's postgresql (initdb under {root}/*/bin) or {EnvironmentVariable} set to a superuser connection string.");
    }

    private void RunPostgres(string tool, string[] args, bool asRoot)
    {
        var path = Path.Combine(_binaries!, tool);
        if (asRoot)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            Run(path, args);
        }
    }

    private static string Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {error.Result}{output.Result}");
        }

        return output.Result;
    }
}
