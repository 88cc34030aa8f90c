using System.Globalization;
using SifSign.Cli.Console;
using SifSign.Hkp;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeySearchCommand : Command
{
    public KeySearchCommand(CliContext context)
        : base("search", "Search the keyserver for keys")
    {
        Options.Add(LongList);
        Options.Add(Url);
        Arguments.Add(Term);
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.KeyCommandFailed, async () =>
        {
            var client = Keyservers.CreateClient(parse.GetValue(Url), context);
            var entries = await client.SearchAsync(parse.GetValue(Term)!, cancellationToken).ConfigureAwait(false);
            if (entries.Count == 0)
            {
                throw new CliException("no matching keys found");
            }

            context.Out.Write($"Showing {entries.Count} results\n\n");
            context.Out.Write(Format(entries, parse.GetValue(LongList)));
            return ExitCodes.Success;
        }));
    }

    public Option<bool> LongList { get; } = new("--long-list", "-l") { Description = "Show fingerprint, algorithm, dates and status" };

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    public Argument<string> Term { get; } = new("TERM") { Description = "Name, e-mail address, key ID or fingerprint" };

    /// <summary>Apptainer's search table (sypgp formatMROutput): one block per key, blank line between keys.</summary>
    internal static string Format(IReadOnlyList<IndexEntry> entries, bool longList)
    {
        var rows = new List<string[]?>();
        rows.Add(longList
            ? ["FINGERPRINT", "ALGORITHM", "BITS", "CREATION DATE", "EXPIRATION DATE", "STATUS", "NAME/EMAIL"]
            : ["KEY ID", "BITS", "NAME/EMAIL"]);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (i > 0)
            {
                rows.Add(null);
            }

            var bits = entry.Bits?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
            string[] leading = longList
                ? [entry.KeyId, AlgorithmName(entry.Algorithm), bits, Date(entry.Created), Date(entry.Expires), Status(entry.Flags)]
                : [entry.KeyId.Length > 8 ? entry.KeyId[^8..] : entry.KeyId, bits];
            var blank = Enumerable.Repeat(string.Empty, leading.Length).ToArray();
            if (entry.UserIds.Count == 0)
            {
                rows.Add([.. leading, string.Empty]);
            }

            for (var u = 0; u < entry.UserIds.Count; u++)
            {
                rows.Add([.. u == 0 ? leading : blank, entry.UserIds[u]]);
            }
        }

        return TabTable.Format(rows, padding: 2);
    }

    /// <summary>Public-key algorithm names, by the IDs of RFC 9580 §9.1 (22 is the EdDSA of RFC 4880bis, used by v4 Ed25519 keys).</summary>
    internal static string AlgorithmName(int? algorithm) => algorithm switch
    {
        1 or 2 or 3 => "RSA",
        16 => "Elgamal",
        17 => "DSA",
        18 => "Elliptic Curve",
        19 => "ECDSA",
        20 => "Reserved",
        21 => "Diffie-Hellman",
        22 => "EdDSA",
        25 => "X25519",
        26 => "X448",
        27 => "Ed25519",
        28 => "Ed448",
        _ => algorithm is null ? "unknown" : $"unknown ({algorithm})",
    };

    private static string Date(DateTimeOffset? time) => time is null ? string.Empty : KeyListing.GoTime(time.Value);

    private static string Status(string flags) =>
        flags.Contains('r', StringComparison.Ordinal) ? "[revoked]"
        : flags.Contains('d', StringComparison.Ordinal) ? "[disabled]"
        : flags.Contains('e', StringComparison.Ordinal) ? "[expired]"
        : "[enabled]";
}
