namespace SifSign.Cli.Tests.EndToEnd;

/// <summary>
/// Every flag Apptainer registers on <c>sign</c>, <c>verify</c>, <c>key …</c> and <c>keyserver …</c>
/// (its cmd/internal/cli/sign.go, verify.go, key*.go and keyserver.go), long and short, run through
/// the real sifsign process: each is accepted (no usage error, exit code other than 1), and the
/// deprecated spellings print cobra's deprecation line.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class ApptainerFlagsTests
{
    private const string Fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";
    private const string Url = "http://127.0.0.1:9";

    /// <summary>Command words, the flag (with its value) and the rest of a command line that runs it.</summary>
    public static TheoryData<string, string, string> Flags()
    {
        var data = new TheoryData<string, string, string>();
        void Add(string command, string flag, string rest) => data.Add(command, flag, rest);

        // sign (cmd/internal/cli/sign.go)
        foreach (var flag in new[] { "--group-id 1", "-g 1", "--groupid 1", "--sif-id 1", "-i 1", "--id 1", "--key missing.pem", "--keyidx 0", "-k 0", "--all", "-a" })
        {
            Add("sign", flag, "missing.sif");
        }

        // verify (cmd/internal/cli/verify.go)
        foreach (var flag in new[]
        {
            $"--url {Url}", $"-u {Url}", "--group-id 1", "-g 1", "--groupid 1", "--sif-id 1", "-i 1", "--id 1",
            "--certificate missing.pem", "--certificate-intermediates missing.pem", "--certificate-roots missing.pem",
            "--ocsp-verify", "--key missing.pem", "--local", "-l", "--json", "-j", "--all", "-a", "--legacy-insecure",
        })
        {
            Add("verify", flag, "missing.sif");
        }

        // key newpair (key_newpair.go, key.go: -b and -d)
        // Each identity flag is given once: the others complete the command line so nothing is prompted.
        var identity = new (string Long, string Short, string Value)[]
        {
            ("--name", "-N", "Flag"), ("--email", "-E", "flag@example.org"), ("--comment", "-C", "c"), ("--password", "-P", "''"),
        };
        foreach (var (longName, shortName, value) in identity)
        {
            var others = string.Join(' ', identity.Where(i => i.Long != longName).Select(i => $"{i.Short} {i.Value}"));
            Add("key newpair", $"{longName} {value}", others + " --algorithm ed25519");
            Add("key newpair", $"{shortName} {value}", others + " --algorithm ed25519");
        }

        const string Identity = "-N Flag -E flag@example.org -C c -P ''";
        foreach (var flag in new[] { $"--push --url {Url}", $"-U --url {Url}", "--keysdir keys", "-d keys" })
        {
            Add("key newpair", flag, Identity + " --algorithm ed25519");
        }

        Add("key newpair", "--bit-length 2048", Identity);
        Add("key newpair", "-b 2048", Identity);

        // key list/import/export/remove/push/pull/search (key*.go)
        foreach (var flag in new[] { "--secret", "-s", "--global", "-g", "--keysdir keys", "-d keys" })
        {
            Add("key list", flag, string.Empty);
        }

        foreach (var flag in new[] { "--new-password", "--global", "-g", "--keysdir keys", "-d keys" })
        {
            Add("key import", flag, "missing.asc");
        }

        foreach (var flag in new[] { "--secret", "-s", "--armor", "-a", "--global", "-g", "--keysdir keys", "-d keys" })
        {
            Add("key export", flag, $"{Fingerprint} out.asc");
        }

        foreach (var flag in new[] { "--public", "-p", "--secret", "-s", "--both", "-b", "--global", "-g", "--keysdir keys", "-d keys" })
        {
            Add("key remove", flag, Fingerprint);
        }

        foreach (var command in new[] { "key push", "key pull" })
        {
            foreach (var flag in new[] { $"--url {Url}", $"-u {Url}", "--global", "-g", "--keysdir keys", "-d keys" })
            {
                Add(command, flag, flag.Contains(Url, StringComparison.Ordinal) ? Fingerprint : $"{Fingerprint} --url {Url}");
            }
        }

        foreach (var flag in new[] { $"--url {Url}", $"-u {Url}", $"--long-list --url {Url}", $"-l --url {Url}" })
        {
            Add("key search", flag, "someone");
        }

        // keyserver (keyserver.go): --config on every subcommand, add --order/--insecure, login credentials
        foreach (var flag in new[] { "--order 1", "-o 1", "--insecure", "-i", "--config cfg.toml", "-c cfg.toml" })
        {
            Add("keyserver add", flag, "https://keys.example.org");
        }

        foreach (var command in new[] { "keyserver list", "keyserver remove", "keyserver logout" })
        {
            foreach (var flag in new[] { "--config cfg.toml", "-c cfg.toml" })
            {
                Add(command, flag, command == "keyserver list" ? string.Empty : "https://keys.example.org");
            }
        }

        foreach (var flag in new[] { "--username u", "-u u", "--password p", "-p p", "--password-stdin", "--config cfg.toml", "-c cfg.toml" })
        {
            Add("keyserver login", flag, (flag.StartsWith("--password", StringComparison.Ordinal) || flag.StartsWith("-p", StringComparison.Ordinal) ? string.Empty : "-p p ") + "https://keys.example.org");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public void ApptainerFlag_IsAcceptedByTheRealCli(string command, string flag, string rest)
    {
        using var process = new CliProcess();
        var args = Words(command).Concat(Words(flag)).Concat(Words(rest)).ToArray();

        var outcome = process.RunWithInput("stdin-password\n", args);

        Assert.True(outcome.ExitCode != ExitCodes.UsageError, $"sifsign {string.Join(' ', args)}: exit {outcome.ExitCode}: {outcome.StandardError}");
        Assert.DoesNotContain("unknown option", outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", outcome.StandardError, StringComparison.Ordinal);
        var name = flag.Split(' ')[0];
        var deprecated = (command, name) switch
        {
            ("sign" or "verify", "--groupid") => "Flag --groupid has been deprecated, use '--group-id'",
            ("sign" or "verify", "--id") => "Flag --id has been deprecated, use '--sif-id'",
            ("sign", "--all" or "-a") => "Flag --all has been deprecated, now the default behavior",
            _ => null,
        };
        if (deprecated is not null)
        {
            Assert.Contains(deprecated, outcome.StandardError, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("has been deprecated", outcome.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FlagTable_CoversEveryCommandApptainerHas()
    {
        var commands = Flags().Select(row => (string)row[0]).Distinct().Order().ToArray();

        Assert.Equal(
            new[]
            {
                "key export", "key import", "key list", "key newpair", "key pull", "key push", "key remove", "key search",
                "keyserver add", "keyserver list", "keyserver login", "keyserver logout", "keyserver remove", "sign", "verify",
            },
            commands);
    }

    // Splits on spaces; '' stands for an empty argument.
    private static IEnumerable<string> Words(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => word == "''" ? string.Empty : word);
}
