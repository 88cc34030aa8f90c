using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Keys;

namespace SifSign.Cli.Commands;

/// <summary>
/// The global public keyring (<c>global-pgp-public</c>) as <c>verify</c> consults it: after the
/// user's keyring and before a keyserver, its signers labelled <c>[GLOBAL]</c> as Apptainer labels
/// them (cmd/internal/cli/pgp.go, outputVerify).
/// </summary>
internal sealed class GlobalKeys
{
    private readonly HashSet<string> fingerprints = new(StringComparer.Ordinal);

    /// <summary>The global keyring's public keys; a missing file is empty, an unreadable one a warning.</summary>
    public IReadOnlyList<PgpPublicKeyRing> Read(CliContext context)
    {
        var keyring = Keyring.Global(GlobalOptions.ConfigDirectory(context));
        try
        {
            var keys = keyring.ReadPublic();
            foreach (var ring in keys)
            {
                fingerprints.Add(KeyIdentity.Fingerprint(ring.GetPublicKey()));
            }

            return keys;
        }
        catch (KeyringException e)
        {
            context.Warning($"global keyring not used: {e.Message}");
            return [];
        }
    }

    /// <summary>True when <paramref name="ring"/> was read from the global keyring by <see cref="Read"/>.</summary>
    public bool Contains(PgpPublicKeyRing ring) => fingerprints.Contains(KeyIdentity.Fingerprint(ring.GetPublicKey()));
}
