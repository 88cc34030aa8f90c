using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

/// <summary>Fingerprint arguments: validation and lookup with messages for the user.</summary>
internal static class KeyHandles
{
    public static string Parse(string text) =>
        KeyIdentity.NormalizeKeyHandle(text)
        ?? throw new CliException($"'{text}' is not a fingerprint: expected 40 or 64 hex digits (v4 or v6), or a 16/8 hex digit key ID, with an optional 0x");

    public static T FindOne<T>(IEnumerable<T> rings, Func<T, PgpPublicKey> primary, string handle, string keyringName)
    {
        var matches = rings.Where(ring => KeyIdentity.Matches(primary(ring), handle)).ToList();
        return matches.Count switch
        {
            0 => throw new CliException($"no key matching {handle} found in the {keyringName} keyring"),
            1 => matches[0],
            _ => throw new CliException($"{matches.Count} keys match {handle} in the {keyringName} keyring: give the full fingerprint"),
        };
    }
}
