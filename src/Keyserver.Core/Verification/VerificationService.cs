using Keyserver.Core.Admin;
using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Verification;

/// <summary>
/// E-mail verification, in the manner of keys.openpgp.org (Hagrid's upload, verify and manage flows): mails a link for each pending identity of an upload,
/// publishes an identity when its owner confirms, lets the owner of an address withdraw identities
/// or delete keys, and purges what was never confirmed. Pages and endpoints call this; it never
/// sends mail itself, it queues mail in the <see cref="IMailOutbox"/>.
/// </summary>
public sealed class VerificationService
{
    // Manage mails are throttled per address alone; this stands in for the fingerprint.
    private const string ManageThrottleKey = "manage";

    // Scopes of the per-client and per-address budgets; fingerprints are hex, so these never collide.
    private const string ClientBudget = "client";
    internal const string AddressBudget = "address";

    // Resends are throttled apart from upload mails: (this prefix + fingerprint, address).
    private const string ResendThrottlePrefix = "resend:";
    private const int MaxManagedKeys = 100;

    private readonly IKeyStore _keys;
    private readonly IVerificationStore _store;
    private readonly IMailOutbox _outbox;
    private readonly VerificationSettings _settings;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="keys">The key store.</param>
    /// <param name="store">Tokens and mail throttle.</param>
    /// <param name="outbox">Where mails are queued.</param>
    /// <param name="settings">Mode, lifetimes and intervals.</param>
    /// <param name="time">The clock.</param>
    public VerificationService(IKeyStore keys, IVerificationStore store, IMailOutbox outbox, VerificationSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _keys = keys;
        _store = store;
        _outbox = outbox;
        _settings = settings;
        _time = time;
    }

    /// <summary>
    /// The operator's block list, upload policy and audit log: blocked addresses and addresses
    /// outside the policy are never mailed or published, and owner actions are audited. Null for none.
    /// </summary>
    public OperatorPolicy? Operator { get; init; }

    /// <summary>The publication mode; nothing is mailed unless it is <see cref="PublicationMode.Email"/>.</summary>
    public PublicationMode Mode => _settings.Mode;

    /// <summary>
    /// Called after every upload: queues a verification mail for each address of a pending,
    /// unrevoked identity of each accepted key, at most one per key and address per mail interval.
    /// </summary>
    /// <param name="report">The ingest result.</param>
    /// <param name="client">The uploader's network (see <see cref="VerificationSettings.MailsPerClientPerHour"/>), or null when none applies.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The addresses mailed now (throttled ones are left out).</returns>
    public async Task<IReadOnlyList<string>> OnUploadAsync(IngestReport report, string? client = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_settings.Mode != PublicationMode.Email)
        {
            return [];
        }

        // The identities come from the write itself: no key is read back from the store.
        var mailed = new List<string>();
        foreach (var key in report.Keys.Where(k => k.Kind != KeyOutcomeKind.Rejected && k.Fingerprint is not null).DistinctBy(k => k.Fingerprint))
        {
            foreach (var address in PendingAddresses(key.Identities))
            {
                if (await MayPublishAsync(address, AuditActors.Uploader, key.Fingerprint, cancellationToken).ConfigureAwait(false)
                    && await TryQueueVerificationAsync(key.Fingerprint!, key.Identities, address, client, cancellationToken).ConfigureAwait(false))
                {
                    mailed.Add(address);
                }
            }
        }

        return mailed.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// "Send the confirmation mail again" for one identity still waiting for confirmation: queues a
    /// new verification mail when <paramref name="address"/> belongs to a pending, unrevoked identity
    /// of the key. Resends have their own slot in the mail throttle, so one resend per key, address
    /// and mail interval goes out even right after the upload's own mail; the upload's slot is not
    /// touched. Returns nothing, so the answer is the same for every key and address.
    /// </summary>
    /// <param name="fingerprint">The key's primary fingerprint as typed; any text.</param>
    /// <param name="address">The address as typed; any text.</param>
    /// <param name="client">The requester's network, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task ResendVerificationAsync(string? fingerprint, string? address, string? client = null, CancellationToken cancellationToken = default)
    {
        var normal = fingerprint?.Trim().ToUpperInvariant();
        if (_settings.Mode != PublicationMode.Email
            || !(KeyQueryParser.IsHex(normal, 40) || KeyQueryParser.IsHex(normal, 64))
            || SearchText.NormaliseAddress(address) is not { } email
            || await _keys.GetAsync(normal, cancellationToken).ConfigureAwait(false) is not { } record
            || !PendingAddresses(record.Identities).Contains(email, StringComparer.Ordinal)
            || !await MayPublishAsync(email, AuditActors.Owner, record.Fingerprint, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // Its own per-key slot, but the same client and address budgets as every other mail.
        var now = _time.GetUtcNow();
        if (await TryBudgetAsync(ResendThrottlePrefix + record.Fingerprint, email, client, now, cancellationToken).ConfigureAwait(false))
        {
            await QueueVerificationAsync(record.Fingerprint, record.Identities, email, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Looks up a verification link without using it (the confirmation page's GET).</summary>
    /// <param name="token">The token from the link; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<VerifyResult> LookupAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Verify, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid)
        {
            return VerifyResult.Failed(state);
        }

        var record = await _keys.GetAsync(stored!.Fingerprint!, cancellationToken).ConfigureAwait(false);
        var identities = IdentitiesOf(record, stored.Address!);
        return identities.Count == 0
            ? VerifyResult.Failed(TokenState.Unknown)
            : new VerifyResult(TokenState.Valid, stored.Fingerprint, stored.Address, identities, stored.Expires);
    }

    /// <summary>
    /// Uses a verification link: publishes every identity of its key that carries its address. The
    /// change shows on the next lookup. A link works once.
    /// </summary>
    /// <param name="token">The token from the link; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<VerifyResult> ConfirmAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Verify, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid)
        {
            return VerifyResult.Failed(state);
        }

        // Blocked since the mail went out, or outside a policy set since: the link no longer works.
        if (!await MayPublishAsync(stored!.Address!, AuditActors.Owner, stored.Fingerprint, cancellationToken).ConfigureAwait(false))
        {
            return VerifyResult.Failed(TokenState.Unknown);
        }

        var now = _time.GetUtcNow();
        if (!await _store.TryMarkUsedAsync(stored.Hash, now, cancellationToken).ConfigureAwait(false))
        {
            return VerifyResult.Failed(TokenState.Used);
        }

        var address = stored.Address!;
        await _keys.UpdateAsync(
            stored.Fingerprint!,
            record => record is null
                ? null
                : KeyRecordBuilder.WithStates(record, i => i.Email == address ? IdentityState.Published : i.State, now),
            cancellationToken).ConfigureAwait(false);
        var identities = IdentitiesOf(await _keys.GetAsync(stored.Fingerprint!, cancellationToken).ConfigureAwait(false), address);
        if (identities.Count == 0)
        {
            return VerifyResult.Failed(TokenState.Unknown);
        }

        if (Operator is not null)
        {
            await Operator.RecordAsync(AuditActors.Owner, AuditActions.Publish, stored.Fingerprint, address, "published", cancellationToken).ConfigureAwait(false);
            await Operator.OnPublishedAsync(stored.Fingerprint!, address, AuditActors.Owner, cancellationToken).ConfigureAwait(false);
        }

        return new VerifyResult(TokenState.Valid, stored.Fingerprint, address, identities, stored.Expires);
    }

    /// <summary>
    /// The manage form: mails a manage link when <paramref name="address"/> has published identities.
    /// Deliberately says nothing about which happened, so addresses cannot be enumerated.
    /// </summary>
    /// <param name="address">What the visitor typed; any text.</param>
    /// <param name="client">The visitor's network, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task RequestManageLinkAsync(string? address, string? client = null, CancellationToken cancellationToken = default)
    {
        if (_settings.Mode != PublicationMode.Email || SearchText.NormaliseAddress(address) is not { } normal)
        {
            return;
        }

        var page = await _keys.FindAsync(new KeyQuery.ByEmail(normal), 0, 1, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (page.Total == 0 || !await TryBudgetAsync(ManageThrottleKey, normal, client, now, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await VerificationTokens.MailLinkAsync(
            _store, _outbox, TokenPurpose.Manage, MailKind.Manage, normal, null, null, now, now + VerificationSettings.SessionTokenLifetime, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>What a manage link shows: the published keys of its address and their identities with that address.</summary>
    /// <param name="token">The token from the link; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<ManageView> GetManageViewAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Manage, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid)
        {
            return new ManageView(state, null, []);
        }

        var address = stored!.Address!;
        var page = await _keys.FindAsync(new KeyQuery.ByEmail(address), 0, MaxManagedKeys, cancellationToken).ConfigureAwait(false);
        var keys = page.Keys.Select(k => new ManagedKey(k.Fingerprint, IdentitiesOf(k, address))).ToList();
        return new ManageView(TokenState.Valid, address, keys);
    }

    /// <summary>Withdraws one identity (of the link's address) from publication.</summary>
    /// <param name="token">The manage token.</param>
    /// <param name="fingerprint">The key's primary fingerprint.</param>
    /// <param name="userId">The identity, exactly as listed.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<ManageOutcome> UnpublishAsync(string? token, string fingerprint, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(userId);
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Manage, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid)
        {
            return ManageOutcome.InvalidToken;
        }

        var address = stored!.Address!;
        bool Target(IdentityRecord i) => i.Email == address && string.Equals(i.UserId, userId, StringComparison.Ordinal);
        var record = await _keys.GetAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (record is null || !record.Identities.Any(Target))
        {
            return ManageOutcome.NotFound;
        }

        var now = _time.GetUtcNow();
        await _keys.UpdateAsync(
            fingerprint,
            current => current is null ? null : KeyRecordBuilder.WithStates(current, i => Target(i) ? IdentityState.Unpublished : i.State, now),
            cancellationToken).ConfigureAwait(false);
        await AuditAsync(AuditActions.Unpublish, record.Fingerprint, address, "unpublished", cancellationToken).ConfigureAwait(false);
        return ManageOutcome.Done;
    }

    /// <summary>
    /// Deletes a whole key that carries a published identity of the link's address. A key with a
    /// revocation leaves its tombstone (<see cref="KeyRecordBuilder.Tombstone"/>).
    /// </summary>
    /// <param name="token">The manage token.</param>
    /// <param name="fingerprint">The key's primary fingerprint.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<ManageOutcome> DeleteKeyAsync(string? token, string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Manage, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid)
        {
            return ManageOutcome.InvalidToken;
        }

        var address = stored!.Address!;
        bool Owned(KeyRecord? r) => r is not null && r.Identities.Any(i => i.Email == address && i.State == IdentityState.Published);
        var now = _time.GetUtcNow();
        var outcome = await _keys.UpdateAsync(fingerprint, r => Owned(r) ? KeyRecordBuilder.Tombstone(r!, now) : r, cancellationToken).ConfigureAwait(false);
        if (outcome is not (WriteOutcome.Deleted or WriteOutcome.Replaced))
        {
            return ManageOutcome.NotFound;
        }

        await AuditAsync(AuditActions.Delete, fingerprint, address, outcome == WriteOutcome.Replaced ? "deleted, revocation kept" : "deleted", cancellationToken).ConfigureAwait(false);
        return ManageOutcome.Done;
    }

    /// <summary>
    /// The VKS upload answer for a stored key: for each address of the uploaded material, only
    /// whether it is published (an uploader learns nothing of identities it did not send, nor
    /// whether one of them waits for confirmation), and a new upload token for <c>request-verify</c>.
    /// Null when the key is not stored.
    /// </summary>
    /// <param name="fingerprint">Primary fingerprint of the uploaded key.</param>
    /// <param name="uploaded">The addresses in the uploaded material (<see cref="KeyOutcome.Addresses"/>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<UploadStatus?> IssueUploadStatusAsync(string fingerprint, IReadOnlyCollection<string> uploaded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(uploaded);
        if (await _keys.GetAsync(fingerprint, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var token = VerificationTokens.Generate();
        await _store.AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), TokenPurpose.Upload, record.Fingerprint, null, now, now + VerificationSettings.SessionTokenLifetime, null),
            cancellationToken).ConfigureAwait(false);
        return new UploadStatus(record.Fingerprint, StatusOf(record, uploaded, IdentityStatus.Unpublished), token);
    }

    /// <summary>
    /// VKS <c>request-verify</c>: queues verification mails for the named addresses of the upload
    /// token's key that are pending (throttled as any verification mail). Addresses not on the key
    /// are ignored. Null when the token is unknown or expired.
    /// </summary>
    /// <param name="token">The upload token.</param>
    /// <param name="addresses">Addresses to verify.</param>
    /// <param name="client">The requester's network, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<UploadStatus?> RequestVerifyAsync(string? token, IEnumerable<string?> addresses, string? client = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Upload, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid
            || await _keys.GetAsync(stored!.Fingerprint!, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        var requested = addresses.Select(SearchText.NormaliseAddress).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (_settings.Mode == PublicationMode.Email)
        {
            var pending = PendingAddresses(record.Identities).ToHashSet(StringComparer.Ordinal);
            foreach (var address in requested)
            {
                if (pending.Contains(address) && await MayPublishAsync(address, AuditActors.Uploader, record.Fingerprint, cancellationToken).ConfigureAwait(false))
                {
                    await TryQueueVerificationAsync(record.Fingerprint, record.Identities, address, client, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // Every requested address that is not published reads "pending", on the key or not, mailed
        // now or throttled: the answer must not tell which addresses wait on the key.
        return new UploadStatus(record.Fingerprint, StatusOf(record, requested, IdentityStatus.Pending), token!);
    }

    /// <summary>
    /// Deletes expired tokens and old throttle entries and, in e-mail mode, keys that have nothing
    /// published and have not changed for <see cref="VerificationSettings.PurgeAfter"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>How many tokens, throttle entries and keys were deleted.</returns>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        // Budget entries live as long as the longest window that counts them.
        var longestWindow = new[] { _settings.MailInterval, VerificationSettings.AddressWindow, VerificationSettings.ClientWindow }.Max();
        var removed = await _store.PurgeAsync(now, now - longestWindow, cancellationToken).ConfigureAwait(false);
        if (_settings.Mode != PublicationMode.Email)
        {
            return removed;
        }

        var cutoff = now - _settings.PurgeAfter;
        // A tombstone (no identities left) is never stale: it keeps a revocation.
        bool Stale(KeyRecord? r) => r is not null && !r.IsPublished && r.Identities.Count > 0 && r.LastModified < cutoff
            && r.Identities.All(i => i.StateChanged < cutoff);
        var stale = new List<string>();
        await foreach (var record in _keys.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Stale(record))
            {
                stale.Add(record.Fingerprint);
            }
        }

        foreach (var fingerprint in stale)
        {
            // Checked again inside the write: a confirmation may have landed since the scan.
            if (await _keys.UpdateAsync(fingerprint, r => Stale(r) ? KeyRecordBuilder.Tombstone(r!, now) : r, cancellationToken).ConfigureAwait(false)
                is WriteOutcome.Deleted or WriteOutcome.Replaced)
            {
                removed++;
            }
        }

        return removed;
    }

    private Task<bool> MayPublishAsync(string address, string actor, string? fingerprint, CancellationToken cancellationToken) =>
        Operator is null ? Task.FromResult(true) : Operator.MayPublishAsync(address, actor, fingerprint, cancellationToken);

    private Task AuditAsync(string action, string fingerprint, string address, string outcome, CancellationToken cancellationToken) =>
        Operator is null ? Task.CompletedTask : Operator.RecordAsync(AuditActors.Owner, action, fingerprint, address, outcome, cancellationToken);

    private async Task<bool> TryQueueVerificationAsync(
        string fingerprint, IReadOnlyList<IdentityRecord> identities, string address, string? client, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!await TryBudgetAsync(fingerprint, address, client, now, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await QueueVerificationAsync(fingerprint, identities, address, now, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task QueueVerificationAsync(
        string fingerprint, IReadOnlyList<IdentityRecord> identities, string address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var userId = identities.First(i => i.Email == address).UserId;
        await VerificationTokens.MailLinkAsync(
            _store, _outbox, TokenPurpose.Verify, MailKind.Verify, address, fingerprint, userId, now, now + _settings.TokenLifetime, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Every mail spends three budgets, cheapest refusal first: one per (key or manage, address) per
    /// mail interval, so re-uploads do not mail again; the client network's hourly budget, so one
    /// client cannot mail many people; and the address's daily budget whatever the key, so a fresh
    /// key per upload buys no new mail to the same victim.
    /// </summary>
    private async Task<bool> TryBudgetAsync(string scope, string address, string? client, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _store.TryReserveMailAsync(scope, address, now, _settings.MailInterval, 1, cancellationToken).ConfigureAwait(false)
        && (client is null || await _store.TryReserveMailAsync(
            ClientBudget, client, now, VerificationSettings.ClientWindow, _settings.MailsPerClientPerHour, cancellationToken).ConfigureAwait(false))
        && await _store.TryReserveMailAsync(
            AddressBudget, address, now, VerificationSettings.AddressWindow, _settings.MailsPerAddressPerDay, cancellationToken).ConfigureAwait(false);

    private async Task<(TokenState State, StoredToken? Token)> ResolveAsync(string? token, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        var (state, stored) = await VerificationTokens.ResolveAsync(_store, token, purpose, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (state, state == TokenState.Valid ? stored : null);
    }

    /// <summary>
    /// True when a confirmation mail can ever be sent for <paramref name="identity"/>: it has a plain
    /// address, and its name part does not carry another one (<see cref="SearchText.HasForeignAddress"/>).
    /// </summary>
    /// <param name="identity">An identity of a stored key.</param>
    public static bool CanBeConfirmed(IdentityRecord identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Email is { } email && !SearchText.HasForeignAddress(identity.UserId, email);
    }

    private static IEnumerable<string> PendingAddresses(IEnumerable<IdentityRecord> identities) => identities
        .Where(i => i.State == IdentityState.Pending && i.Revoked is null && CanBeConfirmed(i))
        .Select(i => i.Email!)
        .Distinct(StringComparer.Ordinal);

    private static List<IdentityRecord> IdentitiesOf(KeyRecord? record, string address) =>
        record?.Identities.Where(i => i.Email == address).ToList() ?? [];

    // Only what a lookup shows anyway: published (or published and revoked), else the given default.
    private static Dictionary<string, IdentityStatus> StatusOf(KeyRecord record, IEnumerable<string> addresses, IdentityStatus otherwise)
    {
        var status = new Dictionary<string, IdentityStatus>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            var shown = record.Identities.Where(i => i.Email == address && i.Status is IdentityStatus.Published or IdentityStatus.Revoked).ToList();
            status[address] = shown.Count == 0 ? otherwise
                : shown.Exists(i => i.Status == IdentityStatus.Published) ? IdentityStatus.Published
                : IdentityStatus.Revoked;
        }

        return status;
    }
}
