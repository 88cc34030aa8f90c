using System.CommandLine;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyPullCommand : Command
{
    public KeyPullCommand(CliContext context, GlobalOptions global)
        : base("pull", "Download a public key from the keyserver into the local keyring")
    {
        Options.Add(Url);
        Options.Add(Global);
        Arguments.Add(Fingerprint);
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.KeyCommandFailed, async () =>
        {
            var keyring = global.OpenKeyring(parse, context, Global);
            var handle = KeyHandles.Parse(parse.GetValue(Fingerprint)!);
            var client = Keyservers.CreateClient(parse.GetValue(Url), context);
            var keys = await client.GetKeysAsync(handle, cancellationToken).ConfigureAwait(false);
            if (keys.Count == 0)
            {
                throw new CliException($"no matching keys found for fingerprint {handle}");
            }

            if (keys.Count > 1)
            {
                throw new CliException("server returned more than one key for unique fingerprint");
            }

            var added = keyring.Import(new KeyFileContents(keys, [])).Count(result => result.Added);
            context.Out.WriteLine($"{added} key(s) added to keyring of trust {keyring.PublicPath}");
            return ExitCodes.Success;
        }));
    }

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    public Argument<string> Fingerprint { get; } = new("FINGERPRINT") { Description = "Fingerprint (40 hex for v4, 64 for v6) or key ID (16 or 8 hex)" };

    public Option<bool> Global { get; } = GlobalOptions.CreateGlobalOption();
}
