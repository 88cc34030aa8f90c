using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyExportCommand : KeyringCommand
{
    public KeyExportCommand(CliContext context, GlobalOptions global)
        : base("export", "Export a key from the local keyring to a file", context, global)
    {
        Options.Add(Secret);
        Options.Add(Armor);
        Options.Add(Global);
        RejectWithGlobal(Secret);
        Arguments.Add(Fingerprint);
        Arguments.Add(File);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.ExportFailed, () =>
        {
            var keyring = OpenKeyring(parse);
            var handle = KeyHandles.Parse(parse.GetValue(Fingerprint)!);
            var path = parse.GetValue(File)!;
            var armor = parse.GetValue(Armor);
            byte[] data;
            string fingerprint;
            string kind;
            if (parse.GetValue(Secret))
            {
                var ring = KeyHandles.FindOne(keyring.ReadSecret(), r => r.GetPublicKey(), handle, "private");
                data = KeyFile.Encode([ring], armor);
                fingerprint = KeyIdentity.Fingerprint(ring.GetPublicKey());
                kind = "Private";
            }
            else
            {
                var ring = KeyHandles.FindOne(keyring.ReadPublic(), r => r.GetPublicKey(), handle, "public");
                data = KeyFile.Encode([ring], armor);
                fingerprint = KeyIdentity.Fingerprint(ring.GetPublicKey());
                kind = "Public";
            }

            try
            {
                System.IO.File.WriteAllBytes(path, data);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {path}: {e.Message}", e);
            }

            context.Out.WriteLine($"{kind} key with fingerprint {fingerprint} correctly exported to file: {path}");
            return ExitCodes.Success;
        }));
    }

    public Option<bool> Secret { get; } = new("--secret", "-s") { Description = "Export the private key (as stored, still passphrase-protected)" };

    public Option<bool> Armor { get; } = new("--armor", "-a") { Description = "Write ASCII armor instead of binary" };

    public Argument<string> Fingerprint { get; } = new("FINGERPRINT") { Description = "Fingerprint (40 hex) or key ID (16 or 8 hex) of the key" };

    public Argument<string> File { get; } = new("FILE") { Description = "File to write" };
}
