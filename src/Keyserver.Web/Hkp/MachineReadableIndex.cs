using System.Globalization;
using System.Text;
using Keyserver.Core.Keys;

namespace Keyserver.Web.Hkp;

/// <summary>
/// Writes the machine-readable index of <c>op=index|vindex&amp;options=mr</c> (draft-shaw-openpgp-hkp-00 §5.2, GnuPG's <c>doc/KEYSERVER</c>), in the
/// form gpg, sq and apptainer's client all parse: an <c>info:1:N</c> line with N equal to the number of
/// <c>pub</c> lines (apptainer refuses a mismatch), upper-case fingerprints, <c>\n</c> line ends.
/// </summary>
internal static class MachineReadableIndex
{
    public static string Write(IReadOnlyList<KeyRecord> keys, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append("info:1:").Append(keys.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var key in keys)
        {
            var primary = key.Primary;
            text.Append("pub:").Append(key.Fingerprint.ToUpperInvariant())
                .Append(':').Append(primary.Algorithm.ToString(CultureInfo.InvariantCulture))
                .Append(':').Append(primary.Bits.ToString(CultureInfo.InvariantCulture))
                .Append(':').Append(Date(primary.Created))
                .Append(':').Append(Date(primary.Expires))
                .Append(':').Append(Flags(primary.Revoked is not null, primary.Expires, now))
                .Append('\n');

            // Only published identities; their dates and flags come from the self-signature.
            foreach (var identity in key.Identities.Where(i => i.State == IdentityState.Published))
            {
                text.Append("uid:").Append(Escape(identity.UserId))
                    .Append(':').Append(Date(identity.Created))
                    .Append(':').Append(Date(identity.Expires))
                    .Append(':').Append(Flags(identity.Revoked is not null, identity.Expires, now))
                    .Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The escaping rule every one of those clients decodes: percent-encode every UTF-8 byte except <c>A-Z a-z 0-9 - . _ ~ @</c>. In particular
    /// <c>:</c> (the field separator), <c>%</c> and <c>+</c> (which Go's decoder turns into a space)
    /// and space (as <c>%20</c>, never <c>+</c>) are always escaped.
    /// </summary>
    public static string Escape(string userId)
    {
        var bytes = Encoding.UTF8.GetBytes(userId);
        var escaped = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'@')
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static string Date(DateTimeOffset? date) =>
        date is { } d ? d.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "";

    private static string Flags(bool revoked, DateTimeOffset? expires, DateTimeOffset now) =>
        (revoked ? "r" : "") + (expires is { } e && e <= now ? "e" : "");
}
