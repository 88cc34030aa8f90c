using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Utilities;
using SifSign.Cli.Commands.Key;
using SifSign.Cli.Console;
using SifSign.Dsse;
using SifSign.Integrity;
using SifSign.Keys;
using SifSign.Pki;
using SifSign.Sif;

namespace SifSign.Cli.Commands;

internal sealed class SignCommand : Command
{
    public SignCommand(CliContext context, GlobalOptions global)
        : base("sign", "Add a signature to a SIF image (one per object group by default)")
    {
        Options.Add(Key);
        Options.Add(KeyIndex);
        Options.Add(GroupId);
        Options.Add(SifId);
        Options.Add(PassphraseFile);
        Options.Add(All);
        Arguments.Add(Image);
        Validators.Add(result =>
        {
            if (result.GetResult(GroupId) is not null && result.GetResult(SifId) is not null)
            {
                result.AddError("--group-id and --sif-id cannot be used together");
            }
        });
        SetAction(parse => CommandRunner.Run(context, ExitCodes.Failure, () =>
        {
            var image = parse.GetValue(Image)!;
            using var signals = context.HandleSignals ? new SignalCancellation() : null;
            var options = new SignOptions(parse.GetValue(GroupId), parse.GetValue(SifId), context.Time)
            {
                CancellationToken = signals?.Token ?? default,
            };
            ISignatureEncoder encoder;
            if ((parse.GetValue(Key) ?? NonEmpty(context.GetEnvironmentVariable(KeyVariable))) is { } keyPath)
            {
                try
                {
                    encoder = new DsseSignatureEncoder(PemMaterial.LoadSigningKey(keyPath, parse.GetValue(PassphraseFile), context));
                }
                catch (CliException e)
                {
                    throw new CliException($"Failed to sign container: {e.Message}", e);
                }

                context.Info($"Signing image with key material from '{keyPath}'");
            }
            else
            {
                var keyring = global.OpenKeyring(parse, context);
                var (secret, privateKey) = Unlock(SelectKey(keyring, parse.GetValue(KeyIndex), context), parse.GetValue(PassphraseFile), context);
                encoder = new PgpClearSignEncoder(privateKey, secret.GetPublicKey(), context.Time);
                context.Info("Signing image with PGP key material");
            }

            try
            {
                using var progress = ProgressBar.Create(context, "Signing", FileLength(image));
                using var sif = SifImage.Open(image, writable: true);
                ImageSigner.Sign(sif, encoder, options, progress, PauseHook(context, options.CancellationToken));
            }
            catch (Exception e) when (e is IntegrityException or SifException)
            {
                throw new CliException($"Failed to sign container: {Message(e)}", e);
            }

            context.Info($"Signature created and applied to image '{image}'");
            return ExitCodes.Success;
        }));
    }

    /// <summary>Apptainer's variable for <c>--key</c>.</summary>
    public const string KeyVariable = "APPTAINER_SIGN_KEY";

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"Sign with this PEM private key (DSSE signature) instead of a PGP key (also ${KeyVariable}; passphrase from --passphrase-file, ${PemKeys.PassphraseEnvironmentVariable} or a prompt)",
    };

    public Option<int?> KeyIndex { get; } = new("--keyidx", "-k") { Description = "Index of the private key to use, as in 'sifsign key list --secret'" };

    public Option<uint?> GroupId { get; } = new("--group-id", "-g", "--groupid") { Description = "Sign only this object group" };

    public Option<uint?> SifId { get; } = new("--sif-id", "-i", "--id") { Description = "Sign only this object (the signature still links to its group)" };

    public Option<FileInfo?> PassphraseFile { get; } = GlobalOptions.CreatePassphraseFileOption();

    /// <summary>Apptainer's deprecated <c>-a/--all</c>: signing every group is the default; accepted with its warning.</summary>
    public Option<bool> All { get; } = new("--all", "-a") { Description = "Deprecated: signing all objects is the default", Hidden = true };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "The SIF image to sign (changed in place)" };

    /// <summary>Test hook: the variable makes a sign stop at a write step until it is interrupted.</summary>
    public const string PauseVariable = "SIFSIGN_TEST_PAUSE_AT";

    // SIFSIGN_TEST_PAUSE_AT=STEP:FILE: at write step STEP (DataWritten, DataFlushed, DescriptorWritten,
    // DescriptorsFlushed, HeaderWritten) create FILE and wait for a signal. Lets a test interrupt a
    // sign at an exact point without a timing guess.
    private static Action<SifWriteStep>? PauseHook(CliContext context, CancellationToken cancellationToken)
    {
        var setting = context.GetEnvironmentVariable(PauseVariable);
        if (string.IsNullOrEmpty(setting) || setting.Split(':', 2) is not [var name, var marker]
            || !Enum.TryParse<SifWriteStep>(name, out var target) || !cancellationToken.CanBeCanceled)
        {
            return null;
        }

        return step =>
        {
            if (step == target)
            {
                File.WriteAllText(marker, step.ToString());
                cancellationToken.WaitHandle.WaitOne();
            }
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Message(Exception e) => e is IntegrityException { Error: { } error } ? error.ToString() : e.Message;

    private static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private static PgpSecretKeyRing SelectKey(Keyring keyring, int? index, CliContext context)
    {
        var keys = keyring.ReadSecret();
        if (keys.Count == 0)
        {
            throw new CliException($"Failed to sign container: keyring is empty: create a key with 'sifsign key newpair' or import one into {keyring.Directory}");
        }

        if (index is { } chosen)
        {
            return chosen >= 0 && chosen < keys.Count
                ? keys[chosen]
                : throw new CliException("Failed to sign container: index out of range");
        }

        if (keys.Count == 1)
        {
            return keys[0];
        }

        if (!context.Terminal.IsInteractive)
        {
            throw new CliException($"Failed to sign container: {keys.Count} private keys in the keyring: choose one with --keyidx N (see 'sifsign key list --secret')");
        }

        context.Error.Write(KeyListing.Format(keys.Select(ring => ring.GetPublicKey())));
        var answer = context.Terminal.ReadLine("Enter # of private key to use : ");
        return int.TryParse(answer, out var picked) && picked >= 0 && picked < keys.Count
            ? keys[picked]
            : throw new CliException("Failed to sign container: invalid key index");
    }

    private static (PgpSecretKeyRing Ring, PgpPrivateKey Key) Unlock(PgpSecretKeyRing ring, FileInfo? passphraseFile, CliContext context)
    {
        var secretKey = ring.GetSecretKey();
        if (secretKey.IsPrivateKeyEmpty)
        {
            throw new CliException("Failed to sign container: the primary private key is not in the keyring (only a stub)");
        }

        if (secretKey.KeyEncryptionAlgorithm == SymmetricKeyAlgorithmTag.Null)
        {
            return (ring, ExtractPrivateKey(secretKey, []));
        }

        var passphrase = Passphrases.Get(passphraseFile, context, "Enter key passphrase : ");
        try
        {
            return (ring, ExtractPrivateKey(secretKey, passphrase));
        }
        catch (PgpException e)
        {
            throw new CliException("Failed to sign container: cannot unlock the private key: wrong passphrase?", e);
        }
        finally
        {
            Array.Clear(passphrase);
        }
    }

    // BouncyCastle runs Miller-Rabin tests on an RSA modulus whenever it builds the key (~150 ms for
    // RSA-4096, most of a small image's signing time); they prove nothing about the user's own key.
    private static PgpPrivateKey ExtractPrivateKey(PgpSecretKey secretKey, char[] passphrase) =>
        Properties.WithThreadProperty(Properties.RsaMaxMRTests, "0", () => secretKey.ExtractPrivateKey(passphrase));
}
