using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

internal sealed class KeyNewPairCommand : Command
{
    public KeyNewPairCommand(CliContext context, GlobalOptions global)
        : base("newpair", "Create a new key pair and add it to the local keyring")
    {
        Options.Add(UserName);
        Options.Add(Email);
        Options.Add(Comment);
        Options.Add(Algorithm);
        Options.Add(BitLength);
        Options.Add(Password);
        Options.Add(PassphraseFile);
        Options.Add(Push);
        Options.Add(Url);
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.KeyCommandFailed, async () =>
        {
            var keyring = global.OpenKeyring(parse, context);
            var name = parse.GetValue(UserName) ?? Ask(context, "Enter your name (e.g., John Doe) : ");
            var email = parse.GetValue(Email) ?? Ask(context, "Enter your email address (e.g., john.doe@example.com) : ");
            var comment = parse.GetValue(Comment) ?? Ask(context, "Enter optional comment (e.g., development keys) : ");
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliException("a name is required (--name)");
            }

            if (!EmailAddresses.IsValid(email))
            {
                throw new CliException($"invalid e-mail address '{email}' (--email): expected name@domain");
            }

            // -P/--password as Apptainer: given (even empty) means no prompt; empty means an unprotected key.
            var passphrase = parse.GetValue(Password)?.ToCharArray() ?? Passphrases.GetNew(parse.GetValue(PassphraseFile), context);
            if (passphrase.Length == 0)
            {
                context.Warning("the private key is not protected by a passphrase");
            }

            var request = new KeyRequest(parse.GetValue(Algorithm), name, email, comment, passphrase, parse.GetValue(BitLength));
            context.Out.Write("Generating Entity and OpenPGP Key Pair... ");
            Org.BouncyCastle.Bcpg.OpenPgp.PgpSecretKeyRing secret;
            try
            {
                secret = KeyGenerator.Generate(request, context.Time.GetUtcNow().UtcDateTime);
            }
            catch (ArgumentException e)
            {
                context.Out.WriteLine();
                throw new CliException(e.Message.Split(" (Parameter")[0], e);
            }
            finally
            {
                Array.Clear(passphrase);
            }

            keyring.Import(new KeyFileContents([], [secret]));
            context.Out.WriteLine("done");
            var fingerprint = KeyIdentity.Fingerprint(secret.GetPublicKey());
            context.Info($"Key with fingerprint {fingerprint} added to {keyring.Directory}");
            if (parse.GetValue(Push))
            {
                var client = Keyservers.CreateClient(parse.GetValue(Url), context);
                var response = await client.PushAsync(Keyring.PublicPart(secret), cancellationToken).ConfigureAwait(false);
                if (response.Length > 0)
                {
                    context.Info($"Key server response: {response}");
                }

                context.Out.WriteLine("Key successfully pushed to keystore");
            }

            return ExitCodes.Success;
        }));
    }

    public Option<string?> UserName { get; } = new("--name", "-N") { Description = "Real name of the key owner (prompted if absent)" };

    public Option<string?> Email { get; } = new("--email", "-E") { Description = "E-mail address (prompted if absent)" };

    public Option<string?> Comment { get; } = new("--comment", "-C") { Description = "Comment in the user ID (prompted if absent; may be empty)" };

    public Option<KeyAlgorithm> Algorithm { get; } = new("--algorithm")
    {
        Description = "Key algorithm: rsa (primary + encryption subkey) or ed25519",
        DefaultValueFactory = _ => KeyAlgorithm.Rsa,
    };

    public Option<int> BitLength { get; } = new("--bit-length", "-b")
    {
        Description = "RSA key length in bits",
        DefaultValueFactory = _ => 4096,
    };

    public Option<string?> Password { get; } = new("--password", "-P") { Description = "Key passphrase; an empty string makes an unprotected key without asking (visible to other local users: prefer --passphrase-file)" };

    public Option<FileInfo?> PassphraseFile { get; } = GlobalOptions.CreatePassphraseFileOption();

    public Option<bool> Push { get; } = new("--push", "-U") { Description = "Push the new public key to the keyserver" };

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    private static string Ask(CliContext context, string prompt) => context.Terminal.ReadLine(prompt)?.Trim() ?? string.Empty;
}
