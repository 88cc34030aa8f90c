using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Storage.PostgreSql.Admin;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Storage.PostgreSql.Tests;

/// <summary>
/// Schema 0002 on a database that already holds keys: the admin search's terms of the identities
/// stored before it are computed during the migration, so the indexed search finds them.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PostgreSqlAdminMigrationTests(PostgresServer server)
{
    [Fact]
    public async Task Migrate_FromSchema1WithKeys_AdminSearchFindsPendingAndUnpublishedIdentities()
    {
        var connectionString = server.CreateDatabase();
        using (var current = new PostgreSqlDatabase(connectionString))
        {
            var store = new PostgreSqlKeyStore(current);
            await store.UpdateAsync(Fingerprint(1), _ => Create(Fingerprint(1), [Identity("Pending Person <pending@example.org>", IdentityState.Pending)]));
            await store.UpdateAsync(Fingerprint(2), _ => Create(Fingerprint(2), [Identity("Gone Person <gone@example.org>", IdentityState.Unpublished)]));
        }

        // Back to what schema 1 held: no admin terms, no admin tables.
        server.Psql(
            connectionString,
            "DELETE FROM key_terms WHERE kind >= 7; DROP TABLE block_list, audit_log, admin_sessions; " +
            "ALTER TABLE mail_outbox DROP COLUMN last_error; DELETE FROM schema_version WHERE version >= 2;");
        Assert.Equal("0", server.Psql(connectionString, "SELECT count(*) FROM key_terms WHERE kind >= 7").Trim());

        using var migrated = new PostgreSqlDatabase(connectionString);
        var search = new PostgreSqlKeyAdminSearch(migrated);

        Assert.Equal(PostgreSqlDatabase.LatestSchemaVersion, await migrated.GetSchemaVersionAsync());
        Assert.Equal([Fingerprint(1)], (await search.FindAnyAsync(new KeyQuery.ByEmail("pending@example.org"), 0, 10)).Keys.Select(k => k.Fingerprint));
        Assert.Equal([Fingerprint(2)], (await search.FindAnyAsync(new KeyQuery.ByWords(["gone", "person"]), 0, 10)).Keys.Select(k => k.Fingerprint));
        Assert.Equal([Fingerprint(1)], (await search.FindAnyAsync(new KeyQuery.ByUserId("pending person <PENDING@example.org>"), 0, 10)).Keys.Select(k => k.Fingerprint));
    }
}
