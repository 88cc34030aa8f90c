namespace Keyserver.Core.Admin;

/// <summary>
/// One audit entry. It names who did what to which key or address and how it ended; it never holds
/// a token, a mail body or key material.
/// </summary>
/// <param name="Time">When it happened.</param>
/// <param name="Actor">Who: an admin's address, or one of <see cref="AuditActors"/>.</param>
/// <param name="Action">What: one of <see cref="AuditActions"/>.</param>
/// <param name="Fingerprint">The key concerned (upper-case hex), or null.</param>
/// <param name="Address">The address or domain concerned, or null.</param>
/// <param name="Outcome">How it ended, one short line ("done", "refused: blocked by the operator", "3 added, 1 rejected").</param>
public sealed record AuditEntry(DateTimeOffset Time, string Actor, string Action, string? Fingerprint, string? Address, string Outcome);

/// <summary>Filters of <see cref="IAuditLog.QueryAsync"/>; null means any.</summary>
/// <param name="Actor">Exact actor.</param>
/// <param name="Action">Exact action.</param>
/// <param name="Target">Exact fingerprint or address (compared case-insensitively).</param>
/// <param name="From">Earliest time, inclusive.</param>
/// <param name="Until">Latest time, exclusive.</param>
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null, DateTimeOffset? From = null, DateTimeOffset? Until = null)
{
    /// <summary>True when <paramref name="entry"/> passes every filter.</summary>
    public bool Matches(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Actor is null || string.Equals(entry.Actor, Actor, StringComparison.Ordinal))
            && (Action is null || string.Equals(entry.Action, Action, StringComparison.Ordinal))
            && (Target is null || string.Equals(entry.Fingerprint, Target, StringComparison.OrdinalIgnoreCase)
                || string.Equals(entry.Address, Target, StringComparison.OrdinalIgnoreCase))
            && (From is null || entry.Time >= From)
            && (Until is null || entry.Time < Until);
    }
}

/// <summary>A page of audit entries.</summary>
/// <param name="Entries">This page, newest first.</param>
/// <param name="Total">How many entries match in all.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total);

/// <summary>
/// The append-only audit log. Entries are never changed; only <see cref="PurgeAsync"/> removes them,
/// oldest first. Entries with the same time keep the order they were appended in. Every append is
/// durable before the returned task completes.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends an entry.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The entries matching <paramref name="query"/>, newest first, skipping <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>The entries matching <paramref name="query"/> in time order (oldest first), read in batches.</summary>
    IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

/// <summary>The actors that are not an admin's address.</summary>
public static class AuditActors
{
    /// <summary>A key's owner, acting through a mailed token.</summary>
    public const string Owner = "owner";

    /// <summary>The bulk import.</summary>
    public const string Import = "import";

    /// <summary>The server executable's subcommands.</summary>
    public const string Cli = "cli";

    /// <summary>Someone uploading a key (a block hit on an upload).</summary>
    public const string Uploader = "upload";
}

/// <summary>The actions an audit entry records.</summary>
public static class AuditActions
{
    /// <summary>An identity was published by its owner's confirmation.</summary>
    public const string Publish = "publish";

    /// <summary>An identity was unpublished (by its owner or an admin).</summary>
    public const string Unpublish = "unpublish";

    /// <summary>A key was deleted, its revocation kept.</summary>
    public const string Delete = "delete";

    /// <summary>A key was deleted without a trace.</summary>
    public const string Purge = "purge";

    /// <summary>A fingerprint, address or domain was blocked.</summary>
    public const string Block = "block";

    /// <summary>A block was lifted.</summary>
    public const string Unblock = "unblock";

    /// <summary>An upload, mail or publication met a block.</summary>
    public const string BlockHit = "block-hit";

    /// <summary>A pending confirmation was mailed again.</summary>
    public const string Resend = "resend";

    /// <summary>A pending confirmation was cancelled.</summary>
    public const string Cancel = "cancel";

    /// <summary>A bulk import run.</summary>
    public const string Import = "import";
}
