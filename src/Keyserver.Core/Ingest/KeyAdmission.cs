using System.Text;
using Keyserver.Core.Keys;

namespace Keyserver.Core.Ingest;

/// <summary>
/// The operator's say over an uploaded key, asked once per key before its signatures are verified:
/// refuse the key, or drop some of its identities.
/// </summary>
public interface IKeyAdmission
{
    /// <summary>Decides on one uploaded key.</summary>
    /// <param name="fingerprint">The key's primary fingerprint (upper-case hex).</param>
    /// <param name="userIds">The user IDs in the upload, as text.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<AdmissionDecision> AdmitAsync(string fingerprint, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IKeyAdmission"/> decided.</summary>
/// <param name="Refusal">Why the whole key is refused, one line for the uploader; null to accept it.</param>
/// <param name="Drop">User IDs to drop before anything is stored or mailed.</param>
/// <param name="Notes">Sentences for the answer's "dropped" list ("1 identity outside example.org").</param>
public sealed record AdmissionDecision(string? Refusal, IReadOnlySet<string> Drop, IReadOnlyList<string> Notes)
{
    /// <summary>Accept the key as it is.</summary>
    public static AdmissionDecision Accept { get; } = new(null, new HashSet<string>(StringComparer.Ordinal), []);
}

/// <summary>Applies an <see cref="IKeyAdmission"/> to a candidate key inside the ingest.</summary>
internal static class KeyAdmissionStep
{
    /// <summary>Drops what the admission drops from <paramref name="candidate"/>; returns the refusal, or null.</summary>
    public static async Task<string?> ApplyAsync(IKeyAdmission admission, Candidate candidate, CancellationToken ct)
    {
        var userIds = candidate.Key.UserIds.Select(TextOf).ToList();
        var decision = await admission.AdmitAsync(candidate.Fingerprint, userIds, ct).ConfigureAwait(false);
        if (decision.Refusal is not null)
        {
            return decision.Refusal;
        }

        if (decision.Drop.Count > 0)
        {
            candidate.Key.RemoveUserIds(c => decision.Drop.Contains(TextOf(c)));
        }

        foreach (var note in decision.Notes)
        {
            candidate.Dropped.Add(note);
        }

        return null;
    }

    // As IdentityRecord.UserId: UTF-8, invalid bytes replaced.
    private static string TextOf(Component userId) => Encoding.UTF8.GetString(userId.Packet.Body.Span);
}
