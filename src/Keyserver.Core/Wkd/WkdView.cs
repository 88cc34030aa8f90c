using System.Text;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;

namespace Keyserver.Core.Wkd;

/// <summary>
/// What a Web Key Directory serves for one address (draft-koch-openpgp-webkey-service-22 §3.1, §5):
/// the published view of each key with a published identity for exactly that address, with every
/// other user ID and its signatures stripped. Derived from the stored published view; nothing here
/// reads a store.
/// </summary>
public static class WkdView
{
    /// <summary>
    /// True when <paramref name="identity"/> of <paramref name="record"/> is served under
    /// <paramref name="domain"/> and <paramref name="hash"/>: it is published, not revoked by its owner
    /// (unless the whole key is revoked: that revocation must reach people), and its address has this
    /// domain and a local part whose hash (gpg's or sq's) is <paramref name="hash"/>.
    /// </summary>
    /// <param name="record">The key.</param>
    /// <param name="identity">One of its identities.</param>
    /// <param name="domain">The mail domain, lower-case ASCII.</param>
    /// <param name="hash">The z-base-32 hash from the URL.</param>
    public static bool Serves(KeyRecord record, IdentityRecord identity, string domain, string hash)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.State != IdentityState.Published || (identity.Revoked is not null && record.Primary.Revoked is null)
            || SearchText.Address(identity.UserId) is not { } address)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        return string.Equals(address[(at + 1)..], domain, StringComparison.OrdinalIgnoreCase)
            && WkdHash.Variants(address[..at]).Contains(hash, StringComparer.Ordinal);
    }

    /// <summary>
    /// The binary answer for <paramref name="domain"/> and <paramref name="hash"/>: the filtered
    /// published view of every key in <paramref name="records"/> that serves them, concatenated; null
    /// when none does. When the address has both v4 and v6 keys only the v4 ones are served: gpg 2.2
    /// imports nothing at all from an answer that mixes them.
    /// </summary>
    /// <param name="records">Candidate keys (published ones; others are skipped).</param>
    /// <param name="domain">The mail domain, lower-case ASCII.</param>
    /// <param name="hash">The z-base-32 hash from the URL.</param>
    public static byte[]? Answer(IEnumerable<KeyRecord> records, string domain, string hash)
    {
        ArgumentNullException.ThrowIfNull(records);
        var served = new List<(KeyRecord Record, HashSet<string> UserIds)>();
        foreach (var record in records.Where(r => r.Published is not null))
        {
            var userIds = record.Identities.Where(i => Serves(record, i, domain, hash)).Select(i => i.UserId).ToHashSet(StringComparer.Ordinal);
            if (userIds.Count > 0)
            {
                served.Add((record, userIds));
            }
        }

        if (served.Exists(s => s.Record.Version == 4))
        {
            served.RemoveAll(s => s.Record.Version != 4);
        }

        if (served.Count == 0)
        {
            return null;
        }

        using var output = new MemoryStream();
        foreach (var (record, userIds) in served.OrderBy(s => s.Record.Fingerprint, StringComparer.Ordinal))
        {
            var certificate = Certificate.Parse(record.Published!);
            output.Write(certificate.Serialize(c => userIds.Contains(Encoding.UTF8.GetString(c.Packet.Body.Span)), includeUserAttributes: false));
        }

        return output.ToArray();
    }
}
