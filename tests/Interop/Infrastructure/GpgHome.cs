namespace Interop.Tests.Infrastructure;

/// <summary>
/// A private GnuPG home under /tmp (short: gpg-agent and dirmngr sockets live in it and Unix socket
/// paths are limited to ~108 bytes) whose dirmngr talks to one keyserver. Dispose stops the agent and
/// dirmngr that gpg started for it, then deletes it.
/// </summary>
public sealed class GpgHome : IDisposable
{
    private readonly string _gpg;

    private GpgHome(string path, string gpg)
    {
        Path = path;
        _gpg = gpg;
    }

    public string Path { get; }

    /// <summary>Creates the home; with <paramref name="keyserver"/>, dirmngr.conf points at it.</summary>
    public static GpgHome Create(Uri? keyserver = null)
    {
        var gpg = Tools.Require("gpg", "gnupg");
        Tools.Require("dirmngr", "dirmngr");
        // Directly under /tmp whatever TMPDIR says: the socket paths inside must stay short.
        var path = System.IO.Path.Combine("/tmp", "g" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (keyserver is not null)
        {
            File.WriteAllText(
                System.IO.Path.Combine(path, "dirmngr.conf"),
                $"keyserver hkp://{keyserver.Host}:{keyserver.Port}\n");
        }

        File.WriteAllText(System.IO.Path.Combine(path, "gpg.conf"), "no-auto-key-locate\n");
        return new GpgHome(path, gpg);
    }

    /// <summary>Runs gpg in batch mode on this home.</summary>
    public ProcessResult Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    /// <summary>Runs gpg in batch mode on this home; status lines (<c>--status-fd</c>) go to stderr.</summary>
    public Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(_gpg, new[] { "--homedir", Path, "--batch", "--no-tty", "--status-fd", "2" }.Concat(args));

    /// <summary>
    /// Generates an unprotected key (ed25519 primary, cv25519 encryption subkey) for
    /// <paramref name="userId"/> and returns its fingerprint.
    /// </summary>
    public string GenerateKey(string userId)
    {
        Run("--passphrase", "", "--pinentry-mode", "loopback",
            "--quick-gen-key", userId, "future-default", "default", "never").EnsureSuccess();
        return Fingerprints(userId).First();
    }

    /// <summary>Adds a user ID to an existing (unprotected) key.</summary>
    public void AddUserId(string fingerprint, string userId) =>
        Run("--passphrase", "", "--pinentry-mode", "loopback", "--quick-add-uid", fingerprint, userId).EnsureSuccess();

    /// <summary>Revokes one user ID of an existing (unprotected) key.</summary>
    public void RevokeUserId(string fingerprint, string userId) =>
        Run("--passphrase", "", "--pinentry-mode", "loopback", "--quick-revoke-uid", fingerprint, userId).EnsureSuccess();

    /// <summary>Armored public key export.</summary>
    public string ExportArmored(string fingerprint) =>
        Run("--armor", "--export", fingerprint).EnsureSuccess().StandardOutput;

    /// <summary>Primary fingerprints of the public keys matching <paramref name="query"/> (all keys when null).</summary>
    public IReadOnlyList<string> Fingerprints(string? query = null) =>
        ColonRecords(query).Where(r => r.Kind == "fpr" && r.AfterPrimary).Select(r => r.Fields[9]).ToList();

    /// <summary>The <c>--with-colons --list-keys</c> lines (empty list when nothing matches).</summary>
    public IReadOnlyList<string[]> ListKeys(string? query = null) =>
        ColonRecords(query).Select(r => r.Fields).ToList();

    /// <summary>Key IDs (16 hex) of the subkeys of <paramref name="fingerprint"/>.</summary>
    public IReadOnlyList<string> SubkeyIds(string fingerprint) =>
        ColonRecords(fingerprint).Where(r => r.Kind == "sub").Select(r => r.Fields[4]).ToList();

    public void Dispose()
    {
        try
        {
            ProcessRunner.RunAsync("gpgconf", "--homedir", Path, "--kill", "all").GetAwaiter().GetResult();
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(Path);
        }
    }

    private IEnumerable<(string Kind, string[] Fields, bool AfterPrimary)> ColonRecords(string? query)
    {
        var args = new List<string> { "--with-colons", "--fixed-list-mode", "--with-fingerprint", "--with-subkey-fingerprint", "--list-keys" };
        if (query is not null)
        {
            args.Add(query);
        }

        var result = Run([.. args]);
        if (result.ExitCode != 0)
        {
            // gpg exits 2 when nothing matches: that is an empty list, not an error.
            yield break;
        }

        var last = string.Empty;
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(':');
            yield return (fields[0], fields, last == "pub");
            last = fields[0];
        }
    }
}
