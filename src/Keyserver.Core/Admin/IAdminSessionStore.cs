namespace Keyserver.Core.Admin;

/// <summary>
/// A signed-in admin's session as stored: the hash of the session key the cookie carries (never the
/// key itself), who signed in, the serialized authentication ticket and its times.
/// </summary>
/// <param name="Hash">SHA-256 of the session key, upper-case hex.</param>
/// <param name="Actor">The admin's normalised e-mail address (the actor named in the audit log).</param>
/// <param name="Ticket">The host's serialized authentication ticket; opaque to the store.</param>
/// <param name="Created">When the admin signed in.</param>
/// <param name="LastSeen">The last request of the session.</param>
/// <param name="Expires">When the session ends unless it is used again (idle timeout).</param>
public sealed record AdminSession(string Hash, string Actor, byte[] Ticket, DateTimeOffset Created, DateTimeOffset LastSeen, DateTimeOffset Expires)
{
    /// <inheritdoc />
    public bool Equals(AdminSession? other) =>
        other is not null && Hash == other.Hash && Actor == other.Actor && Ticket.AsSpan().SequenceEqual(other.Ticket)
        && Created == other.Created && LastSeen == other.LastSeen && Expires == other.Expires;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Hash, Actor, Created, LastSeen, Expires);
}

/// <summary>
/// Server-side admin sessions: signing out deletes the session here, so a copied cookie stops
/// working at once. Every write is atomic and durable before the task completes.
/// </summary>
public interface IAdminSessionStore
{
    /// <summary>Stores a new session (replacing one with the same hash).</summary>
    Task CreateAsync(AdminSession session, CancellationToken cancellationToken = default);

    /// <summary>The session with this hash as stored, expired or not; null when unknown.</summary>
    Task<AdminSession?> FindAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a use of the session: a new ticket, last seen and expiry. False when the session is
    /// unknown (deleted or purged): it is not brought back.
    /// </summary>
    Task<bool> TouchAsync(string hash, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>Deletes the session; false when it was unknown.</summary>
    Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Deletes the sessions whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
