using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Hkp;
using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

/// <summary>
/// <c>key refresh [FINGERPRINT...]</c> (no Apptainer counterpart; apptainer/singularity#2579): each
/// public key of the keyring, or the named ones, fetched again from the keyserver(s) and merged as
/// <c>verify --refresh</c> merges (<see cref="KeyMerge"/>). One line per key on stdout says what changed.
/// A key no keyserver has is reported and kept; only errors (unreachable keyserver, a named key not in
/// the keyring) make the exit code non-zero.
/// </summary>
internal sealed class KeyRefreshCommand : KeyringCommand
{
    public KeyRefreshCommand(CliContext context, GlobalOptions global)
        : base("refresh", "Fetch the public keys of the keyring again from the keyserver and merge what is new (revocations, subkeys, expiry, user IDs)", context, global)
    {
        Options.Add(Url);
        Options.Add(Global);
        Arguments.Add(Fingerprints);
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.KeyCommandFailed, async () =>
        {
            var keyring = OpenKeyring(parse);
            var keys = keyring.ReadPublic().ToList();
            var selected = Select(keys, parse.GetValue(Fingerprints) ?? []);
            var clients = Clients(parse.GetValue(Url), context);
            var errors = 0;
            var changed = false;
            foreach (var index in selected)
            {
                var fingerprint = KeyIdentity.Fingerprint(keys[index].GetPublicKey());
                var (fetched, error) = await FetchAsync(clients, fingerprint, cancellationToken).ConfigureAwait(false);
                if (fetched is null)
                {
                    if (error is not null)
                    {
                        errors++;
                        context.Log(LogLevel.Error, $"{fingerprint}: {error}");
                    }
                    else
                    {
                        context.Out.WriteLine($"{fingerprint}: not on the keyserver");
                    }

                    continue;
                }

                var result = KeyMerge.Merge(keys[index], fetched);
                keys[index] = result.Merged;
                changed |= result.Changed;
                context.Out.WriteLine($"{fingerprint}: {result.Describe()}");
            }

            if (changed)
            {
                keyring.WritePublic(keys);
            }

            if (errors > 0)
            {
                throw new CliException($"{errors} of {selected.Count} key(s) could not be refreshed");
            }

            return ExitCodes.Success;
        }));
    }

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    public Argument<string[]> Fingerprints { get; } = new("FINGERPRINT")
    {
        Description = "Refresh only these keys (fingerprint or key ID); default: every public key of the keyring",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Indexes of the keys to refresh, in keyring order; a name that matches no key is an error.</summary>
    private static List<int> Select(List<PgpPublicKeyRing> keys, string[] names)
    {
        if (names.Length == 0)
        {
            return [.. Enumerable.Range(0, keys.Count)];
        }

        var selected = new SortedSet<int>();
        foreach (var name in names)
        {
            var handle = KeyHandles.Parse(name);
            var match = KeyHandles.FindOne(keys.Select((ring, index) => (ring, index)), pair => pair.ring.GetPublicKey(), handle, "public");
            selected.Add(match.index);
        }

        return [.. selected];
    }

    /// <summary>
    /// The keyservers to ask, in order: <c>--url</c> or <c>$SIFSIGN_KEYSERVER</c> alone, else every
    /// configured one (<c>keyserver add</c> order).
    /// </summary>
    private static List<HkpClient> Clients(string? url, CliContext context)
    {
        if (!string.IsNullOrWhiteSpace(url) || !string.IsNullOrWhiteSpace(context.GetEnvironmentVariable(KeyserverConfig.KeyserverVariable)))
        {
            return [Keyservers.CreateClient(url, context)];
        }

        var configured = Keyservers.DefaultConfig(context)?.Read() ?? [];
        return configured.Count == 0
            ? [Keyservers.CreateClient(null, context)]
            : [.. configured.Select(u => Keyservers.CreateClientFor(u, context))];
    }

    /// <summary>The key from the first keyserver that has it; else null, with the last error if every keyserver failed.</summary>
    private static async Task<(PgpPublicKeyRing? Key, string? Error)> FetchAsync(List<HkpClient> clients, string fingerprint, CancellationToken cancellationToken)
    {
        string? error = null;
        var reached = false;
        foreach (var client in clients)
        {
            try
            {
                var keys = await client.GetKeysAsync(fingerprint, cancellationToken).ConfigureAwait(false);
                reached = true;
                if (keys.FirstOrDefault(key => KeyIdentity.Fingerprint(key.GetPublicKey()) == fingerprint) is { } key)
                {
                    return (key, null);
                }
            }
            catch (Exception e) when (e is HkpException or KeyringException)
            {
                error = e.Message;
            }
        }

        return (null, reached ? null : error);
    }
}
