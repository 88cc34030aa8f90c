using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.PostgreSql;
using Keyserver.Web.Hosting;
using Microsoft.Extensions.Hosting;

namespace Keyserver.Web.Tests;

public sealed class StorageSelectionTests
{
    private static ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        return ConfiguredServices.With(settings)
            .AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() })
            .AddKeyserverOptions().AddKeyserverStorage().BuildServiceProvider();
    }

    [Fact]
    public void LiteDb_AdminStoresComeFromTheDataFile()
    {
        using var data = new TempDirectory();
        using var services = Build(("Storage:DataDirectory", data.Path));

        Assert.IsType<LiteDbBlockList>(services.GetRequiredService<IBlockList>());
        Assert.IsType<LiteDbAuditLog>(services.GetRequiredService<IAuditLog>());
        Assert.IsType<LiteDbMailQueueAdmin>(services.GetRequiredService<IMailQueueAdmin>());
        Assert.IsType<LiteDbAdminSessionStore>(services.GetRequiredService<IAdminSessionStore>());
        Assert.IsType<ScanningKeyAdminSearch>(services.GetRequiredService<IKeyAdminSearch>());
    }

    [Fact]
    public void Defaults_LiteDb()
    {
        using var services = Build();

        Assert.Equal(StorageProvider.LiteDb, services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider);
        Assert.False(services.UsesPostgreSql());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void PostgreSqlWithoutConnectionString_ValidationNamesTheKey(string? connectionString)
    {
        using var services = Build(("Storage:Provider", "PostgreSql"), ("Storage:ConnectionString", connectionString));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("Storage:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProvider_RefusedAtBinding()
    {
        using var services = Build(("Storage:Provider", "Oracle"));

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("Storage:Provider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSql_StoresAndPeriodicWorkComeFromTheDatabase()
    {
        using var services = Build(
            ("Storage:Provider", "postgresql"),
            ("Storage:ConnectionString", "Host=127.0.0.1;Port=1;Database=keyserver;Username=keyserver;Password=secret;Timeout=2"));

        // Nothing connects until a store is resolved; the lock provider is the database itself.
        Assert.IsType<PostgreSqlDatabase>(services.GetRequiredService<IExclusiveWork>());
        var database = services.GetRequiredService<PostgreSqlDatabase>();
        Assert.Equal("127.0.0.1:1/keyserver", database.Target);

        // The key store opens (and migrates) the database at once: unreachable, in one line, no password.
        var refused = Assert.Throws<PostgreSqlUnavailableException>(() => services.GetRequiredService<IKeyStore>());
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
        var (message, code) = StartupFailure.Describe(refused, StartupStage.Store);
        Assert.StartsWith("Cannot open the key store (Storage:ConnectionString): PostgreSQL at 127.0.0.1:1/keyserver is unreachable", message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Failure, code);

        // So do the admin console's stores: they are the database's, not the LiteDB file's.
        Assert.Throws<PostgreSqlUnavailableException>(() => services.GetRequiredService<IBlockList>());
        Assert.Throws<PostgreSqlUnavailableException>(() => services.GetRequiredService<IAuditLog>());
        Assert.Throws<PostgreSqlUnavailableException>(() => services.GetRequiredService<IMailQueueAdmin>());
        Assert.Throws<PostgreSqlUnavailableException>(() => services.GetRequiredService<IAdminSessionStore>());
        Assert.Throws<PostgreSqlUnavailableException>(() => services.GetRequiredService<IKeyAdminSearch>());
    }
}
