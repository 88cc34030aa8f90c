using System.Globalization;
using System.Text.Json;
using Keyserver.Core.Admin;

namespace Keyserver.Web.Commands;

/// <summary>
/// <c>block</c>, <c>unblock</c> and <c>delete</c>: the admin actions for scripts, with the actor
/// <c>cli</c> in the audit log. A target that does not parse is one line on standard error.
/// </summary>
internal sealed class AdminCommands(AdminActions actions, TextWriter output, TextWriter error)
{
    public async Task<ExitCode> BlockAsync(string text, BlockKind? kind, string? reason, CancellationToken cancellationToken)
    {
        if (await TargetAsync(text, kind) is not { } target)
        {
            return ExitCode.Failure;
        }

        return await ReportAsync(await actions.BlockAsync(AuditActors.Cli, target, reason, cancellationToken));
    }

    public async Task<ExitCode> UnblockAsync(string text, BlockKind? kind, CancellationToken cancellationToken)
    {
        if (await TargetAsync(text, kind) is not { } target)
        {
            return ExitCode.Failure;
        }

        return await ReportAsync(await actions.UnblockAsync(AuditActors.Cli, target, cancellationToken));
    }

    public async Task<ExitCode> ListAsync(CancellationToken cancellationToken)
    {
        foreach (var block in await actions.ListBlocksAsync(cancellationToken))
        {
            var created = block.Created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"{block.Target.Kind.ToString().ToLowerInvariant()}\t{block.Target.Value}\t{created}\t{block.Actor}\t{block.Reason}");
        }

        return ExitCode.Success;
    }

    public async Task<ExitCode> DeleteAsync(string fingerprint, bool purge, bool block, string? reason, CancellationToken cancellationToken) =>
        await ReportAsync(await actions.DeleteKeyAsync(AuditActors.Cli, fingerprint, purge, block, reason, cancellationToken));

    private async Task<BlockTarget?> TargetAsync(string text, BlockKind? kind)
    {
        var target = kind is { } k ? BlockTarget.Of(k, text) : BlockTarget.Parse(text);
        if (target is null)
        {
            await error.WriteLineAsync(kind is null
                ? $"'{Printable(text)}' is not a fingerprint (40 or 64 hex digits), an address or a domain."
                : $"'{Printable(text)}' is not a valid {kind.Value.ToString().ToLowerInvariant()}.");
        }

        return target;
    }

    private async Task<ExitCode> ReportAsync(AdminResult result)
    {
        if (result.Outcome is AdminOutcome.Invalid or AdminOutcome.NotFound)
        {
            await error.WriteLineAsync(result.Message);
            return ExitCode.Failure;
        }

        await output.WriteLineAsync(result.Message);
        return ExitCode.Success;
    }

    // Hostile text goes back to a terminal: no control characters, and not too long.
    private static string Printable(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length > 100 ? clean[..100] + "…" : clean;
    }
}

/// <summary><c>audit export</c>: the audit log as JSON lines, oldest first, filtered.</summary>
internal sealed class AuditExportCommand(IAuditLog audit, TextWriter output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ExitCode> RunAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await foreach (var entry in audit.ExportAsync(query, cancellationToken))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(entry, Json));
        }

        return ExitCode.Success;
    }
}
