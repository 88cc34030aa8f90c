using Keyserver.Core.Admin;
using Keyserver.Core.Keys;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Verification;

namespace Interop.Tests.Keyserver;

/// <summary>
/// The <c>migrate</c> command as a process: a LiteDB data directory copied into PostgreSQL and back
/// keeps every key with its identity states, every token, mail budget and queued mail, and the
/// block list and audit log.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class MigrateCommandTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TempDirectory _directories = new("ks-migrate-");

    [Fact]
    public async Task Migrate_LiteDbToPostgreSqlAndBack_EverythingSurvives()
    {
        var original = _directories.File("original");
        await FillAsync(original);
        var connectionString = postgres.CreateDatabase();
        var returned = _directories.File("returned");

        var there = await KeyserverProcess.RunCommandAsync(original, ["migrate", "--from", "litedb:" + original, "--to", "postgresql:" + connectionString]);
        var back = await KeyserverProcess.RunCommandAsync(original, ["migrate", "--from", "postgresql:" + connectionString, "--to", "litedb:" + returned]);

        there.EnsureSuccess();
        back.EnsureSuccess();
        var before = Snapshot(original);
        Assert.Equal(5, before.Keys.Count);
        Assert.NotEmpty(before.Tokens);
        Assert.NotEmpty(before.Budgets);
        Assert.Equal(2, before.Mails.Count);
        Assert.Equal(3, before.Blocks.Count);
        Assert.Equal(4, before.Audit.Count); // the import run and the three blocks
        Assert.Contains($"Copied {before.Keys.Count} keys, {before.Tokens.Count} tokens, {before.Budgets.Count} mail budgets and {before.Mails.Count} queued mails", there.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"with 3 blocks and {before.Audit.Count} audit entries", there.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("4", postgres.Psql(connectionString, "SELECT count(*) FROM audit_log").Trim());
        Assert.DoesNotContain("Password", there.StandardOutput + back.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before.Keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), postgres.Psql(connectionString, "SELECT count(*) FROM keys").Trim());
        var after = Snapshot(returned);
        Assert.Equal(before.Keys, after.Keys);
        Assert.Equal(before.Tokens, after.Tokens);
        Assert.Equal(before.Budgets, after.Budgets);
        Assert.Equal(before.Mails, after.Mails);
        Assert.Equal(before.Blocks, after.Blocks);
        Assert.Equal(before.Audit, after.Audit);
    }

    [Fact]
    public async Task Migrate_IntoStoreThatHoldsKeys_RefusedAndNothingChanged()
    {
        var original = _directories.File("original");
        await FillAsync(original);
        var other = _directories.File("other");
        await FillAsync(other);
        var before = Snapshot(other);

        var refused = await KeyserverProcess.RunCommandAsync(original, ["migrate", "--from", "litedb:" + original, "--to", "litedb:" + other]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("migrate into an empty store", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(before.Keys, Snapshot(other).Keys);
    }

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public async Task Migrate_BadEndpoints_OneLineWithoutStackTrace(string from, string to)
    {
        var failed = await KeyserverProcess.RunCommandAsync(_directories.Path, ["migrate", "--from", from, "--to", to]);

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Single(failed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", failed.StandardError, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadEndpoints => new()
    {
        { "sqlite:/tmp/x", "litedb:/tmp/y" },
        { "litedb:", "postgresql:Host=x" },
        { "litedb:/nonexistent/keyserver-data", "postgresql:Host=127.0.0.1" },
        { "litedb:/tmp/x", "postgresql:Host=x;;==" },
    };

    public void Dispose() => _directories.Dispose();

    // Keys published by import, keys waiting for confirmation with their tokens, budgets and mails
    // (queued because the mail server is down).
    private static async Task FillAsync(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var keyring = Path.Combine(dataDirectory, "published.asc");
        await File.WriteAllTextAsync(keyring, string.Concat(Enumerable.Range(0, 3).Select(i => TestKeys.ArmoredCertificate($"Imported {i} <imported{i}-{Guid.NewGuid():N}@example.org>", out _))));
        (await KeyserverProcess.RunCommandAsync(dataDirectory, ["import", keyring, "--publish"])).EnsureSuccess();

        var env = MailLinks.ServerEnvironment(LoopbackPort.Free());
        env["Mail__RetryInitialDelay"] = "01:00:00";
        await using var server = await KeyserverProcess.StartAsync(dataDirectory, env);
        using var http = server.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var added = await http.AddAsync(TestKeys.ArmoredCertificate($"Pending {i} <pending{i}-{Guid.NewGuid():N}@example.org>", out _));
            Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
        }

        await server.StopAsync();

        // The operator's list and log: one block of each kind, and entries of one time in append order.
        using var context = new LiteDbContext(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));
        var blocks = new LiteDbBlockList(context);
        var audit = new LiteDbAuditLog(context);
        var at = new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero);
        foreach (var target in new[] { BlockTarget.Fingerprint(new string('A', 40))!, BlockTarget.Address("spam@example.org")!, BlockTarget.Domain("spam.example")! })
        {
            await blocks.AddAsync(new BlockEntry(target, at, AuditActors.Cli, "migrate test"));
            await audit.AppendAsync(new AuditEntry(
                at, AuditActors.Cli, AuditActions.Block, target.Kind == BlockKind.Fingerprint ? target.Value : null, target.Kind == BlockKind.Fingerprint ? null : target.Value, "done"));
        }
    }

    private static StoreSnapshot Snapshot(string dataDirectory)
    {
        using var context = new LiteDbContext(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName));
        using var keys = new LiteDbKeyStore(context, lookupCacheBytes: 0);
        var verification = new LiteDbVerificationStore(context);
        var outbox = new LiteDbMailOutbox(context);
        return new StoreSnapshot(
            keys.ScanAsync().ToBlockingEnumerable().Select(Describe).ToList(),
            verification.ScanTokensAsync().ToBlockingEnumerable().Select(t => t.ToString()).Order(StringComparer.Ordinal).ToList(),
            verification.ScanMailBudgetsAsync().ToBlockingEnumerable().Select(b => b.ToString()).Order(StringComparer.Ordinal).ToList(),
            outbox.ScanAsync().ToBlockingEnumerable().Select(e => e.ToString()).Order(StringComparer.Ordinal).ToList(),
            new LiteDbBlockList(context).ListAsync().GetAwaiter().GetResult().Select(b => b.ToString()).ToList(),
            new LiteDbAuditLog(context).ExportAsync(new AuditQuery()).ToBlockingEnumerable().Select(e => e.ToString()).ToList());
    }

    private static string Describe(KeyRecord r) => string.Join(
        "|",
        r.Fingerprint,
        r.Version,
        Convert.ToHexString(r.FullKey),
        r.Published is null ? "-" : Convert.ToHexString(r.Published),
        r.PublishedArmored is null ? "-" : Convert.ToHexString(r.PublishedArmored),
        r.Primary,
        string.Join(",", r.Subkeys),
        string.Join(",", r.Identities),
        string.Join(",", r.Fingerprints.Concat(r.KeyIds).Concat(r.ShortKeyIds).Concat(r.PublishedEmails).Concat(r.PublishedWords)),
        r.FirstSeen.UtcTicks,
        r.LastModified.UtcTicks);

    private sealed record StoreSnapshot(List<string> Keys, List<string> Tokens, List<string> Budgets, List<string> Mails, List<string> Blocks, List<string> Audit);
}
