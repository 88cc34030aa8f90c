using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Cli.Console;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

/// <summary>Apptainer's key listing block (<c>key list</c>, the key menus).</summary>
internal static class KeyListing
{
    public static string Format(IEnumerable<PgpPublicKey> keys)
    {
        var rows = new List<string[]?>();
        var index = 0;
        foreach (var key in keys)
        {
            var first = true;
            foreach (var userId in key.GetUserIds())
            {
                var (name, comment, email) = KeyIdentity.ParseUserId(userId);
                rows.Add([first ? $"{index})" : string.Empty, "User:", $"{name} ({comment}) <{email}>"]);
                first = false;
            }

            rows.Add([string.Empty, "Creation time:", GoTime(key.CreationTime)]);
            rows.Add([string.Empty, "Fingerprint:", KeyIdentity.Fingerprint(key)]);
            rows.Add([string.Empty, "Length (in bits):", key.BitStrength.ToString(CultureInfo.InvariantCulture)]);
            rows.Add(null);
            index++;
        }

        return TabTable.Format(rows, padding: 2);
    }

    /// <summary>Go's <c>time.Time.String()</c> in UTC, e.g. <c>2020-06-30 00:01:56 +0000 UTC</c>.</summary>
    public static string GoTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000 UTC";

    public static string GoTime(DateTimeOffset time) => GoTime(time.UtcDateTime);
}
