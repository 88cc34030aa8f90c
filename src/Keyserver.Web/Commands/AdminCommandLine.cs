using System.CommandLine;
using System.Globalization;
using Keyserver.Core.Admin;

namespace Keyserver.Web.Commands;

/// <summary>The command line of <c>block</c>, <c>unblock</c>, <c>delete</c> and <c>audit export</c>.</summary>
internal static class AdminCommandLine
{
    public static IEnumerable<Command> Build(CommandHost host)
    {
        var kind = new Option<BlockKind?>("--kind")
        {
            Description = "What TARGET is (fingerprint, address, domain); guessed when left out: 40 or 64 hex digits, text with @, else a domain.",
        };
        var reason = new Option<string?>("--reason") { Description = "A note kept with the block or deletion (never a secret)." };

        var blockTarget = new Argument<string?>("target") { Description = "A fingerprint, an e-mail address or a domain.", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "List every block instead (kind, value, time, actor, reason; tab-separated)." };
        var block = new Command("block", "Block a key, an address or a domain: refused on upload, never mailed, never served.") { blockTarget, kind, reason, list };
        block.Validators.Add(result =>
        {
            if (result.GetValue(list) == (result.GetValue(blockTarget) is not null))
            {
                result.AddError("Give either a target or --list.");
            }
        });
        block.SetAction((result, ct) => host.WithServicesAsync(
            services => result.GetValue(list)
                ? Commands(services).ListAsync(ct)
                : Commands(services).BlockAsync(result.GetValue(blockTarget)!, result.GetValue(kind), result.GetValue(reason), ct),
            ct));

        var unblockTarget = new Argument<string>("target") { Description = "A blocked fingerprint, address or domain." };
        var unblock = new Command("unblock", "Lift a block.") { unblockTarget, kind };
        unblock.SetAction((result, ct) => host.WithServicesAsync(
            services => Commands(services).UnblockAsync(result.GetRequiredValue(unblockTarget), result.GetValue(kind), ct), ct));

        var fingerprint = new Argument<string>("fingerprint") { Description = "The key's primary fingerprint (40 or 64 hex digits)." };
        var purge = new Option<bool>("--purge") { Description = "Remove the key whole, revocations included (else they stay and are served)." };
        var blockToo = new Option<bool>("--block") { Description = "Also block the fingerprint, so that a re-upload is refused (implies --purge)." };
        var delete = new Command("delete", "Delete a key.") { fingerprint, purge, blockToo, reason };
        delete.SetAction((result, ct) => host.WithServicesAsync(
            services => Commands(services).DeleteAsync(
                result.GetRequiredValue(fingerprint), result.GetValue(purge), result.GetValue(blockToo), result.GetValue(reason), ct),
            ct));

        var actor = new Option<string?>("--actor") { Description = "Only entries of this actor (an admin's address, owner, import, cli, upload)." };
        var action = new Option<string?>("--action") { Description = "Only entries of this action (block, unblock, delete, purge, unpublish, publish, block-hit, resend, import)." };
        var target = new Option<string?>("--target") { Description = "Only entries about this fingerprint or address." };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only entries at or after this time (ISO 8601, UTC when no offset).", CustomParser = Time };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only entries before this time.", CustomParser = Time };
        var export = new Command("export", "Write the audit log as JSON lines, oldest first.") { actor, action, target, since, until };
        export.SetAction((result, ct) => host.WithServicesAsync(
            services => new AuditExportCommand(services.GetRequiredService<IAuditLog>(), host.Output).RunAsync(
                new AuditQuery(result.GetValue(actor), result.GetValue(action), result.GetValue(target), result.GetValue(since), result.GetValue(until)), ct),
            ct));
        var audit = new Command("audit", "The audit log.") { export };

        return [block, unblock, delete, audit];

        AdminCommands Commands(IServiceProvider services) => new(services.GetRequiredService<AdminActions>(), host.Output, host.Error);
    }

    private static DateTimeOffset? Time(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (DateTimeOffset.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        result.AddError($"'{result.Tokens[0].Value}' is not a time (for example 2026-12-01 or 2026-12-01T10:00:00Z).");
        return null;
    }
}
