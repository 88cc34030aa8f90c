using Keyserver.Core.Search;
using Keyserver.Core.Verification;

namespace Keyserver.Core.Admin;

/// <summary>The outcome of an admin sign-in link: whether it works and for whom.</summary>
/// <param name="State">Whether the link works; for a confirmation, <see cref="TokenState.Valid"/> means the admin may be signed in.</param>
/// <param name="Address">The admin's address, when the link works.</param>
public sealed record AdminSignInResult(TokenState State, string? Address);

/// <summary>
/// Passwordless sign-in to the admin console: a listed address gets a one-time link by mail (a
/// 256-bit token, single use, 15 minutes, stored only as its hash in <see cref="IVerificationStore"/>),
/// confirmed by a POST as verification links are. Any other address gets nothing, and the caller
/// shows the same page either way.
/// </summary>
public sealed class AdminSignInService
{
    /// <summary>How long a sign-in link works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);

    private readonly IVerificationStore _store;
    private readonly IMailOutbox _outbox;
    private readonly Func<IReadOnlyCollection<string>> _admins;
    private readonly VerificationSettings _settings;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Tokens and mail budgets.</param>
    /// <param name="outbox">Where the mail is queued.</param>
    /// <param name="admins">The admins' normalised addresses, read at each use (configuration can change).</param>
    /// <param name="settings">The mail budgets.</param>
    /// <param name="time">The clock.</param>
    public AdminSignInService(IVerificationStore store, IMailOutbox outbox, Func<IReadOnlyCollection<string>> admins, VerificationSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(admins);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _outbox = outbox;
        _admins = admins;
        _settings = settings;
        _time = time;
    }

    /// <summary>True when <paramref name="address"/> (any text) is a listed admin address.</summary>
    public bool IsAdmin(string? address) =>
        SearchText.NormaliseAddress(address) is { } normal && _admins().Contains(normal, StringComparer.Ordinal);

    /// <summary>
    /// Queues a sign-in mail when <paramref name="address"/> is a listed admin and its daily mail
    /// budget (the one every mail to an address spends) allows. Returns nothing, so that the answer
    /// is the same for every address.
    /// </summary>
    /// <param name="address">What the visitor typed; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task RequestLinkAsync(string? address, CancellationToken cancellationToken = default)
    {
        if (SearchText.NormaliseAddress(address) is not { } normal || !_admins().Contains(normal, StringComparer.Ordinal))
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (!await _store.TryReserveMailAsync(
                VerificationService.AddressBudget, normal, now, VerificationSettings.AddressWindow, _settings.MailsPerAddressPerDay, cancellationToken)
            .ConfigureAwait(false))
        {
            return;
        }

        await VerificationTokens.MailLinkAsync(
            _store, _outbox, TokenPurpose.AdminSignIn, MailKind.AdminSignIn, normal, null, null, now, now + LinkLifetime, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Looks a sign-in link up without using it (the link page's GET, which mail scanners may fetch).</summary>
    /// <param name="token">The token from the link; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<AdminSignInResult> LookupAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (state, stored) = await ResolveAsync(token, cancellationToken).ConfigureAwait(false);
        return new AdminSignInResult(state, stored?.Address);
    }

    /// <summary>Uses a sign-in link: valid once, for an address that is still listed.</summary>
    /// <param name="token">The token from the link; any text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<AdminSignInResult> ConfirmAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (state, stored) = await ResolveAsync(token, cancellationToken).ConfigureAwait(false);
        if (state != TokenState.Valid)
        {
            return new AdminSignInResult(state, null);
        }

        return await _store.TryMarkUsedAsync(stored!.Hash, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ? new AdminSignInResult(TokenState.Valid, stored.Address)
            : new AdminSignInResult(TokenState.Used, null);
    }

    private async Task<(TokenState State, StoredToken? Token)> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        var (state, stored) = await VerificationTokens.ResolveAsync(_store, token, TokenPurpose.AdminSignIn, _time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        // A link for an address taken off Admin:Addresses is as good as no link.
        if (stored?.Address is not { } address || !_admins().Contains(address, StringComparer.Ordinal))
        {
            return (TokenState.Unknown, null);
        }

        return (state, state == TokenState.Valid ? stored : null);
    }
}
