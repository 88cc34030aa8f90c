using System.CommandLine;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyImportCommand : Command
{
    public KeyImportCommand(CliContext context, GlobalOptions global)
        : base("import", "Import keys (public or secret, binary or armored) from a file into the local keyring")
    {
        Arguments.Add(File);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.KeyCommandFailed, () =>
        {
            var keyring = global.OpenKeyring(parse, context);
            var path = parse.GetValue(File)!;
            var contents = KeyFile.ReadFile(path, missingIsEmpty: false);
            if (contents.IsEmpty)
            {
                throw new CliException($"{path} holds no OpenPGP key");
            }

            foreach (var result in keyring.Import(contents))
            {
                var ring = result.Secret ? "private" : "public";
                if (result.Added)
                {
                    context.Out.WriteLine($"Key with fingerprint {result.Fingerprint} successfully added to the {ring} keyring");
                }
                else
                {
                    context.Warning($"the key with fingerprint {result.Fingerprint} already belongs to the {ring} keyring");
                }
            }

            return ExitCodes.Success;
        }));
    }

    public Argument<string> File { get; } = new("FILE") { Description = "Key file (binary or ASCII-armored)" };
}
