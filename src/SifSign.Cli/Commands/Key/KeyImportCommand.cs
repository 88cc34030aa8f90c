using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyImportCommand : KeyringCommand
{
    public KeyImportCommand(CliContext context, GlobalOptions global)
        : base("import", "Import keys (public or secret, binary or armored) from a file into the local keyring", context, global)
    {
        Options.Add(Global);
        Options.Add(NewPassword);
        Arguments.Add(File);
        SetAction(parse => CommandRunner.Run(context, ExitCodes.KeyCommandFailed, () =>
        {
            var keyring = OpenKeyring(parse);
            var path = parse.GetValue(File)!;
            var contents = KeyFile.ReadFile(path, missingIsEmpty: false);
            if (contents.IsEmpty)
            {
                throw new CliException($"{path} holds no OpenPGP key");
            }

            if (parse.GetValue(NewPassword) && !keyring.IsGlobal && contents.SecretKeys.Count > 0)
            {
                contents = new KeyFileContents(contents.PublicKeys, [.. contents.SecretKeys.Select(ring => Repassword(ring, context))]);
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

    public Option<bool> NewPassword { get; } = new("--new-password") { Description = "Set a new passphrase on each imported private key (asks the old one, then the new one twice)" };

    /// <summary>The private key protected by a new passphrase (old one from $SIFSIGN_PASSPHRASE or a prompt; new one asked twice).</summary>
    private static PgpSecretKeyRing Repassword(PgpSecretKeyRing ring, CliContext context)
    {
        var fingerprint = KeyIdentity.Fingerprint(ring.GetPublicKey());
        var encrypted = ring.GetSecretKey().KeyEncryptionAlgorithm != SymmetricKeyAlgorithmTag.Null;
        var old = encrypted ? Passphrases.Get(null, context, $"Enter your old password for {fingerprint} : ") : [];
        var fresh = Passphrases.GetNewFromTerminal(context);
        try
        {
            return PgpSecretKeyRing.CopyWithNewPassword(
                ring, old, fresh, fresh.Length == 0 ? SymmetricKeyAlgorithmTag.Null : SymmetricKeyAlgorithmTag.Aes256, new SecureRandom());
        }
        catch (PgpException e)
        {
            throw new CliException($"cannot unlock the private key {fingerprint}: wrong passphrase?", e);
        }
        finally
        {
            Array.Clear(old);
            Array.Clear(fresh);
        }
    }
}
