using SifSign.Hkp;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

/// <summary>
/// <c>key push</c> and <c>key pull</c>: one key, named by fingerprint or key ID, moved between the
/// keyring and the keyserver <c>--url</c> names.
/// </summary>
internal abstract class KeyTransferCommand : KeyringCommand
{
    protected KeyTransferCommand(string name, string description, string fingerprintDescription, CliContext context, GlobalOptions global)
        : base(name, description, context, global)
    {
        Fingerprint = new("FINGERPRINT") { Description = fingerprintDescription };
        Options.Add(Url);
        Options.Add(Global);
        Arguments.Add(Fingerprint);
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.KeyCommandFailed, () => TransferAsync(
            OpenKeyring(parse), KeyHandles.Parse(parse.GetValue(Fingerprint)!), () => Keyservers.CreateClient(parse.GetValue(Url), context), cancellationToken)));
    }

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    public Argument<string> Fingerprint { get; }

    /// <summary>Moves the key <paramref name="handle"/> names; <paramref name="client"/> connects to the keyserver.</summary>
    protected abstract Task<int> TransferAsync(Keyring keyring, string handle, Func<HkpClient> client, CancellationToken cancellationToken);
}
