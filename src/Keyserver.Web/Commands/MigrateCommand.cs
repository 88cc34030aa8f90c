using Keyserver.Core.Admin;
using Keyserver.Core.Storage;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb;
using Keyserver.Storage.LiteDb.Admin;
using Keyserver.Storage.LiteDb.Verification;
using Keyserver.Storage.PostgreSql;
using Keyserver.Storage.PostgreSql.Admin;
using Keyserver.Storage.PostgreSql.Verification;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>migrate --from litedb:DIR --to postgresql:CONNECTION</c> (or the other way): copies every key
/// (published or not, with its identity states), every verification token, mail budget and queued
/// mail, and the operator's block list and audit log, from one store into another, empty one. Keys
/// stream in batches; the rest is small.
/// </summary>
internal sealed class MigrateCommand(TextWriter output, TextWriter error)
{
    public const string LiteDbPrefix = "litedb:";
    public const string PostgreSqlPrefix = "postgresql:";

    private const int BatchSize = 256;
    private const int ProgressEvery = 10_000;

    public async Task<ExitCode> RunAsync(string from, string to, CancellationToken cancellationToken)
    {
        if (!IsEndpoint(from) || !IsEndpoint(to))
        {
            await error.WriteLineAsync($"--from and --to take {LiteDbPrefix}DIRECTORY or {PostgreSqlPrefix}CONNECTION-STRING.");
            return ExitCode.Configuration;
        }

        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            await error.WriteLineAsync("--from and --to name the same store.");
            return ExitCode.Configuration;
        }

        if (from.StartsWith(LiteDbPrefix, StringComparison.Ordinal) && !File.Exists(LiteDbFile(from)))
        {
            await error.WriteLineAsync($"{LiteDbFile(from)}: no LiteDB store there.");
            return ExitCode.Failure;
        }

        Stores? source = null;
        Stores? target = null;
        try
        {
            source = Open(from);
            target = Open(to);
            if ((await target.Keys.GetStatisticsAsync(cancellationToken)).Keys > 0
                || await target.Outbox.NextDueAsync(cancellationToken) is not null
                || (await target.Blocks.ListAsync(cancellationToken)).Count > 0
                || (await target.Audit.QueryAsync(new AuditQuery(), 0, 0, cancellationToken)).Total > 0)
            {
                await error.WriteLineAsync($"{target.Name}: already holds keys, mail, blocks or audit entries; migrate into an empty store.");
                return ExitCode.Failure;
            }

            var keys = await CopyKeysAsync(source.Keys, target.Keys, cancellationToken);
            var tokens = 0;
            await foreach (var token in source.Verification.ScanTokensAsync(cancellationToken))
            {
                await target.VerificationStore.AddTokenAsync(token, cancellationToken);
                tokens++;
            }

            var budgets = 0;
            await foreach (var budget in source.Verification.ScanMailBudgetsAsync(cancellationToken))
            {
                await target.Verification.PutMailBudgetAsync(budget, cancellationToken);
                budgets++;
            }

            var mails = 0;
            await foreach (var entry in source.OutboxTransfer.ScanAsync(cancellationToken))
            {
                await target.OutboxTransfer.PutAsync(entry, cancellationToken);
                mails++;
            }

            var blocks = 0;
            foreach (var block in await source.Blocks.ListAsync(cancellationToken))
            {
                await target.Blocks.AddAsync(block, cancellationToken);
                blocks++;
            }

            // Oldest first, so entries of the same time keep their order in the target.
            var audit = 0;
            await foreach (var entry in source.Audit.ExportAsync(new AuditQuery(), cancellationToken))
            {
                await target.Audit.AppendAsync(entry, cancellationToken);
                audit++;
            }

            await output.WriteLineAsync(
                $"Copied {keys} keys, {tokens} tokens, {budgets} mail budgets and {mails} queued mails from {source.Name} to {target.Name}, with {blocks} blocks and {audit} audit entries.");
            return ExitCode.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PostgreSqlStoreException or LiteDB.LiteException)
        {
            await error.WriteLineAsync($"Cannot migrate: {LiteDbContext.OneLine(e)}");
            return ExitCode.Failure;
        }
        finally
        {
            source?.Dispose();
            target?.Dispose();
        }
    }

    private async Task<int> CopyKeysAsync(IKeyStore source, IKeyStore target, CancellationToken cancellationToken)
    {
        var copied = 0;
        var batch = new List<KeyChange>(BatchSize);
        await foreach (var record in source.ScanAsync(cancellationToken))
        {
            batch.Add(new KeyChange(record.Fingerprint, _ => record));
            if (batch.Count == BatchSize)
            {
                copied += await FlushAsync();
            }
        }

        copied += await FlushAsync();
        return copied;

        async Task<int> FlushAsync()
        {
            if (batch.Count == 0)
            {
                return 0;
            }

            await target.UpdateManyAsync(batch, cancellationToken);
            var count = batch.Count;
            batch.Clear();
            if ((copied + count) / ProgressEvery > copied / ProgressEvery)
            {
                await error.WriteLineAsync($"{copied + count} keys copied");
            }

            return count;
        }
    }

    internal static bool IsEndpoint(string endpoint) =>
        (endpoint.StartsWith(LiteDbPrefix, StringComparison.Ordinal) && endpoint.Length > LiteDbPrefix.Length)
        || (endpoint.StartsWith(PostgreSqlPrefix, StringComparison.Ordinal) && endpoint.Length > PostgreSqlPrefix.Length);

    private static string LiteDbFile(string endpoint) => Path.Combine(Path.GetFullPath(endpoint[LiteDbPrefix.Length..]), LiteDbContext.DefaultFileName);

    private static Stores Open(string endpoint)
    {
        if (endpoint.StartsWith(LiteDbPrefix, StringComparison.Ordinal))
        {
            var path = LiteDbFile(endpoint);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var context = new LiteDbContext(path);
            try
            {
                var outbox = new LiteDbMailOutbox(context);
                var verification = new LiteDbVerificationStore(context);
                var keys = new LiteDbKeyStore(context, lookupCacheBytes: 0);
                return new Stores(
                    LiteDbPrefix + Path.GetDirectoryName(path), keys, verification, verification, outbox, outbox,
                    new LiteDbBlockList(context), new LiteDbAuditLog(context), [keys, context]);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        var database = new PostgreSqlDatabase(endpoint[PostgreSqlPrefix.Length..]);
        try
        {
            var pgOutbox = new PostgreSqlMailOutbox(database);
            var pgVerification = new PostgreSqlVerificationStore(database);
            return new Stores(
                PostgreSqlPrefix + database.Target, new PostgreSqlKeyStore(database), pgVerification, pgVerification, pgOutbox, pgOutbox,
                new PostgreSqlBlockList(database), new PostgreSqlAuditLog(database), [database]);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    private sealed record Stores(
        string Name,
        IKeyStore Keys,
        IVerificationStore VerificationStore,
        IVerificationTransfer Verification,
        IMailOutbox Outbox,
        IMailOutboxTransfer OutboxTransfer,
        IBlockList Blocks,
        IAuditLog Audit,
        IDisposable[] Owned) : IDisposable
    {
        public void Dispose()
        {
            foreach (var owned in Owned)
            {
                owned.Dispose();
            }
        }
    }
}
