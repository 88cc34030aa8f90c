using Keyserver.Core.Ingest;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Verification;

/// <summary>
/// E-mail verification (spec §2.2, §2.4): mails a link for each pending identity of an upload,
/// publishes an identity when its owner confirms, lets the owner of an address withdraw identities
/// or delete keys, and purges what was never confirmed. Pages and endpoints call this; it never
/// sends mail itself, it queues mail in the <see cref="IMailOutbox"/>.
/// </summary>
public sealed class VerificationService
{
    /// <summary>Longest address accepted from a request (RFC 5321 §4.5.3.1: 64 + 1 + 255).</summary>
    public const int MaxAddressLength = 320;

    // Manage mails are throttled per address alone; this stands in for the fingerprint.
    private const string ManageThrottleKey = "manage";

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

    /// <summary>The publication mode; nothing is mailed unless it is <see cref="PublicationMode.Email"/>.</summary>
    public PublicationMode Mode => _settings.Mode;

    /// <summary>
    /// Called after every upload: queues a verification mail for each address of a pending,
    /// unrevoked identity of each accepted key, at most one per key and address per mail interval.
    /// </summary>
    /// <param name="report">The ingest result.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The addresses mailed now (throttled ones are left out).</returns>
    public async Task<IReadOnlyList<string>> OnUploadAsync(IngestReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_settings.Mode != PublicationMode.Email)
        {
            return [];
        }

        var mailed = new List<string>();
        var fingerprints = report.Keys
            .Where(k => k.Kind != KeyOutcomeKind.Rejected && k.Fingerprint is not null)
            .Select(k => k.Fingerprint!)
            .Distinct(StringComparer.Ordinal);
        foreach (var fingerprint in fingerprints)
        {
            if (await _keys.GetAsync(fingerprint, cancellationToken).ConfigureAwait(false) is not { } record)
            {
                continue;
            }

            foreach (var address in PendingAddresses(record))
            {
                if (await TryQueueVerificationAsync(record, address, cancellationToken).ConfigureAwait(false))
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
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task ResendVerificationAsync(string? fingerprint, string? address, CancellationToken cancellationToken = default)
    {
        var normal = fingerprint?.Trim().ToUpperInvariant();
        if (_settings.Mode != PublicationMode.Email
            || normal is not { Length: 40 or 64 }
            || !normal.All(Uri.IsHexDigit)
            || NormaliseAddress(address) is not { } email
            || await _keys.GetAsync(normal, cancellationToken).ConfigureAwait(false) is not { } record
            || !PendingAddresses(record).Contains(email, StringComparer.Ordinal))
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (await _store.TryReserveMailAsync(ResendThrottlePrefix + record.Fingerprint, email, now, _settings.MailInterval, cancellationToken).ConfigureAwait(false))
        {
            await QueueVerificationAsync(record, email, now, cancellationToken).ConfigureAwait(false);
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

        var now = _time.GetUtcNow();
        if (!await _store.TryMarkUsedAsync(stored!.Hash, now, cancellationToken).ConfigureAwait(false))
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
        return identities.Count == 0
            ? VerifyResult.Failed(TokenState.Unknown)
            : new VerifyResult(TokenState.Valid, stored.Fingerprint, address, identities, stored.Expires);
    }

    /// <summary>
    /// The manage form: mails a manage link when <paramref name="address"/> has published identities.
    /// Deliberately says nothing about which happened, so addresses cannot be enumerated.
    /// </summary>
    /// <param name="address">What the visitor typed; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task RequestManageLinkAsync(string? address, CancellationToken cancellationToken = default)
    {
        if (_settings.Mode != PublicationMode.Email || NormaliseAddress(address) is not { } normal)
        {
            return;
        }

        var page = await _keys.FindAsync(new KeyQuery.ByEmail(normal), 0, 1, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (page.Total == 0
            || !await _store.TryReserveMailAsync(ManageThrottleKey, normal, now, _settings.MailInterval, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var token = VerificationTokens.Generate();
        var expires = now + VerificationSettings.SessionTokenLifetime;
        await _store.AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), TokenPurpose.Manage, null, normal, now, expires, null),
            cancellationToken).ConfigureAwait(false);
        await _outbox.EnqueueAsync(new MailRequest(MailKind.Manage, normal, null, null, token, expires), now, cancellationToken)
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
        return ManageOutcome.Done;
    }

    /// <summary>Deletes a whole key that carries a published identity of the link's address.</summary>
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
        var outcome = await _keys.UpdateAsync(fingerprint, r => Owned(r) ? null : r, cancellationToken).ConfigureAwait(false);
        return outcome == WriteOutcome.Deleted ? ManageOutcome.Done : ManageOutcome.NotFound;
    }

    /// <summary>
    /// The VKS upload answer for a stored key: the status of each address and a new upload token
    /// for <c>request-verify</c>. Null when the key is not stored.
    /// </summary>
    /// <param name="fingerprint">Primary fingerprint of the uploaded key.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<UploadStatus?> IssueUploadStatusAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (await _keys.GetAsync(fingerprint, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var token = VerificationTokens.Generate();
        await _store.AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), TokenPurpose.Upload, record.Fingerprint, null, now, now + VerificationSettings.SessionTokenLifetime, null),
            cancellationToken).ConfigureAwait(false);
        return new UploadStatus(record.Fingerprint, StatusOf(record), token);
    }

    /// <summary>
    /// VKS <c>request-verify</c>: queues verification mails for the named addresses of the upload
    /// token's key that are pending (throttled as any verification mail). Addresses not on the key
    /// are ignored. Null when the token is unknown or expired.
    /// </summary>
    /// <param name="token">The upload token.</param>
    /// <param name="addresses">Addresses to verify.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<UploadStatus?> RequestVerifyAsync(string? token, IEnumerable<string?> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var (state, stored) = await ResolveAsync(token, TokenPurpose.Upload, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid
            || await _keys.GetAsync(stored!.Fingerprint!, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        if (_settings.Mode == PublicationMode.Email)
        {
            var pending = PendingAddresses(record).ToHashSet(StringComparer.Ordinal);
            foreach (var address in addresses.Select(NormaliseAddress).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                if (pending.Contains(address))
                {
                    await TryQueueVerificationAsync(record, address, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return new UploadStatus(record.Fingerprint, StatusOf(record), token!);
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
        var removed = await _store.PurgeAsync(now, now - _settings.MailInterval, cancellationToken).ConfigureAwait(false);
        if (_settings.Mode != PublicationMode.Email)
        {
            return removed;
        }

        var cutoff = now - _settings.PurgeAfter;
        bool Stale(KeyRecord? r) => r is not null && !r.IsPublished && r.LastModified < cutoff && r.Identities.All(i => i.StateChanged < cutoff);
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
            if (await _keys.UpdateAsync(fingerprint, r => Stale(r) ? null : r, cancellationToken).ConfigureAwait(false) == WriteOutcome.Deleted)
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>The normalised form of an address typed by a user, or null when it is not one.</summary>
    /// <param name="address">Any text.</param>
    public static string? NormaliseAddress(string? address) =>
        string.IsNullOrWhiteSpace(address) || address.Length > MaxAddressLength || address.Contains('<', StringComparison.Ordinal)
            ? null
            : SearchText.Email(address);

    private async Task<bool> TryQueueVerificationAsync(KeyRecord record, string address, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!await _store.TryReserveMailAsync(record.Fingerprint, address, now, _settings.MailInterval, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await QueueVerificationAsync(record, address, now, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task QueueVerificationAsync(KeyRecord record, string address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = VerificationTokens.Generate();
        var expires = now + _settings.TokenLifetime;
        await _store.AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), TokenPurpose.Verify, record.Fingerprint, address, now, expires, null),
            cancellationToken).ConfigureAwait(false);
        var userId = record.Identities.First(i => i.Email == address).UserId;
        await _outbox.EnqueueAsync(new MailRequest(MailKind.Verify, address, record.Fingerprint, userId, token, expires), now, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<(TokenState State, StoredToken? Token)> ResolveAsync(string? token, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        if (!VerificationTokens.IsWellFormed(token))
        {
            return (TokenState.Unknown, null);
        }

        var stored = await _store.FindTokenAsync(VerificationTokens.Hash(token!), cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Purpose != purpose)
        {
            return (TokenState.Unknown, null);
        }

        if (stored.Used is not null)
        {
            return (TokenState.Used, null);
        }

        return stored.Expires <= _time.GetUtcNow() ? (TokenState.Expired, null) : (TokenState.Valid, stored);
    }

    private static IEnumerable<string> PendingAddresses(KeyRecord record) => record.Identities
        .Where(i => i.State == IdentityState.Pending && i.Email is not null && i.Revoked is null)
        .Select(i => i.Email!)
        .Distinct(StringComparer.Ordinal);

    private static List<IdentityRecord> IdentitiesOf(KeyRecord? record, string address) =>
        record?.Identities.Where(i => i.Email == address).ToList() ?? [];

    // One status per address; when several identities share it, the most visible one wins.
    private static Dictionary<string, IdentityStatus> StatusOf(KeyRecord record)
    {
        static int Rank(IdentityStatus s) => s switch
        {
            IdentityStatus.Published => 3,
            IdentityStatus.Revoked => 2,
            IdentityStatus.Pending => 1,
            _ => 0,
        };
        var status = new Dictionary<string, IdentityStatus>(StringComparer.Ordinal);
        foreach (var identity in record.Identities.Where(i => i.Email is not null))
        {
            if (!status.TryGetValue(identity.Email!, out var known) || Rank(identity.Status) > Rank(known))
            {
                status[identity.Email!] = identity.Status;
            }
        }

        return status;
    }
}
