using System.CommandLine;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyPushCommand : Command
{
    public KeyPushCommand(CliContext context, GlobalOptions global)
        : base("push", "Upload a public key from the local keyring to the keyserver")
    {
        Options.Add(Url);
        Options.Add(Global);
        Arguments.Add(Fingerprint);
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.KeyCommandFailed, async () =>
        {
            var keyring = global.OpenKeyring(parse, context, Global);
            var handle = KeyHandles.Parse(parse.GetValue(Fingerprint)!);
            var key = KeyHandles.FindOne(keyring.ReadPublic(), ring => ring.GetPublicKey(), handle, "public");
            var client = Keyservers.CreateClient(parse.GetValue(Url), context);
            var response = await client.PushAsync(key, cancellationToken).ConfigureAwait(false);
            if (response.Length > 0)
            {
                context.Info($"Key server response: {response}");
            }

            context.Out.WriteLine($"public key `{KeyIdentity.Fingerprint(key.GetPublicKey())}' pushed to server successfully");
            return ExitCodes.Success;
        }));
    }

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    public Argument<string> Fingerprint { get; } = new("FINGERPRINT") { Description = "Fingerprint (or key ID) of the key to push" };

    public Option<bool> Global { get; } = GlobalOptions.CreateGlobalOption();
}
