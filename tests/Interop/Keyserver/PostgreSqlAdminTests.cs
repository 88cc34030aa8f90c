using Keyserver.Core.Admin;
using Keyserver.Storage.PostgreSql;
using Keyserver.Storage.PostgreSql.Admin;

namespace Interop.Tests.Keyserver;

/// <summary>
/// The real server on PostgreSQL with the admin console's stores: a fingerprint blocked in the shared
/// database refuses the key's next upload, and the refusal lands in the shared audit log.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlAdminTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task FingerprintBlockedInTheDatabase_ReuploadRefused_BlockHitAudited()
    {
        var connectionString = postgres.CreateDatabase();
        await using var server = await KeyserverProcess.StartAsync(env: PostgreSqlEnvironment.Of(connectionString));
        using var gpg = GpgHome.Create(server.BaseUri);
        var fingerprint = gpg.GenerateKey($"Blocked <blocked-{Guid.NewGuid():N}@example.org>");
        var armored = gpg.ExportArmored(fingerprint);
        using var http = server.CreateClient();
        using (var first = await http.AddAsync(armored))
        {
            Assert.True(first.IsSuccessStatusCode, await first.DescribeAsync());
        }

        using (var database = new PostgreSqlDatabase(connectionString))
        {
            var blocks = new PostgreSqlBlockList(database);
            Assert.True(await blocks.AddAsync(new BlockEntry(BlockTarget.Fingerprint(fingerprint)!, DateTimeOffset.UtcNow, AuditActors.Cli, "interop test")));
        }

        using var again = await http.AddAsync(armored);
        var answer = await again.DescribeAsync();
        Assert.True(again.StatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError, answer);
        Assert.Contains("blocked", answer, StringComparison.OrdinalIgnoreCase);

        using var reader = new PostgreSqlDatabase(connectionString);
        var audit = await new PostgreSqlAuditLog(reader).QueryAsync(new AuditQuery(Action: AuditActions.BlockHit, Target: fingerprint), 0, 10);
        Assert.Equal(AuditActors.Uploader, Assert.Single(audit.Entries).Actor);
    }
}

/// <summary>The server's environment for a PostgreSQL store.</summary>
internal static class PostgreSqlEnvironment
{
    public static Dictionary<string, string> Of(string connectionString) => new()
    {
        ["Storage__Provider"] = "PostgreSql",
        ["Storage__ConnectionString"] = connectionString,
    };
}
