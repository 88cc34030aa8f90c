using SifSign.Hkp;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyPullCommand(CliContext context, GlobalOptions global) : KeyTransferCommand(
    "pull",
    "Download a public key from the keyserver into the local keyring",
    "Fingerprint (40 hex for v4, 64 for v6) or key ID (16 or 8 hex)",
    context,
    global)
{
    protected override async Task<int> TransferAsync(Keyring keyring, string handle, Func<HkpClient> client, CancellationToken cancellationToken)
    {
        var keys = await client().GetKeysAsync(handle, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            throw new CliException($"no matching keys found for fingerprint {handle}");
        }

        if (keys.Count > 1)
        {
            throw new CliException("server returned more than one key for unique fingerprint");
        }

        var added = keyring.Import(new KeyFileContents(keys, [])).Count(result => result.Added);
        Context.Out.WriteLine($"{added} key(s) added to keyring of trust {keyring.PublicPath}");
        return ExitCodes.Success;
    }
}
