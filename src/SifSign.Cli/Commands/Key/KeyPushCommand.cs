using SifSign.Hkp;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyPushCommand(CliContext context, GlobalOptions global) : KeyTransferCommand(
    "push",
    "Upload a public key from the local keyring to the keyserver",
    "Fingerprint (or key ID) of the key to push",
    context,
    global)
{
    protected override async Task<int> TransferAsync(Keyring keyring, string handle, Func<HkpClient> client, CancellationToken cancellationToken)
    {
        var key = KeyHandles.FindOne(keyring.ReadPublic(), ring => ring.GetPublicKey(), handle, "public");
        var response = await client().PushAsync(key, cancellationToken).ConfigureAwait(false);
        if (response.Length > 0)
        {
            Context.Info($"Key server response: {response}");
        }

        Context.Out.WriteLine($"public key `{KeyIdentity.Fingerprint(key.GetPublicKey())}' pushed to server successfully");
        return ExitCodes.Success;
    }
}
