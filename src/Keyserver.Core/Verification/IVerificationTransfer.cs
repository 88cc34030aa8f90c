namespace Keyserver.Core.Verification;

/// <summary>One mail budget as stored: its scope and key, when its window started, and how many mails it counted.</summary>
/// <param name="Scope">The budget's scope (see <see cref="IVerificationStore.TryReserveMailAsync"/>).</param>
/// <param name="Key">The key within the scope.</param>
/// <param name="At">When the current window started.</param>
/// <param name="Count">Reservations counted in that window.</param>
public sealed record MailBudget(string Scope, string Key, DateTimeOffset At, int Count);

/// <summary>
/// Reading and writing the whole verification state as it is, for copying it between stores
/// (<c>migrate</c>). Not used while serving.
/// </summary>
public interface IVerificationTransfer
{
    /// <summary>Every stored token, used or not.</summary>
    IAsyncEnumerable<StoredToken> ScanTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Every stored mail budget.</summary>
    IAsyncEnumerable<MailBudget> ScanMailBudgetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="budget"/> as it is, replacing one with the same scope and key.</summary>
    Task PutMailBudgetAsync(MailBudget budget, CancellationToken cancellationToken = default);
}

/// <summary>Reading and writing queued mail as it is, for copying an outbox between stores (<c>migrate</c>).</summary>
public interface IMailOutboxTransfer
{
    /// <summary>Every queued entry, due or not, earliest first.</summary>
    IAsyncEnumerable<OutboxEntry> ScanAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/> with its identifier, attempts and due time, replacing one with the same identifier.</summary>
    Task PutAsync(OutboxEntry entry, CancellationToken cancellationToken = default);
}
