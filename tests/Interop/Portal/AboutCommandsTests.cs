namespace Interop.Tests.Portal;

/// <summary>
/// Every command /about and the home page show, copied from the page as served and run against the real server with
/// the real gpg, sq and sifsign. apptainer is not packaged for Debian: its lines are checked for the
/// server's URL only.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed partial class AboutCommandsTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["Keyserver__PublicUrl"] = "http://127.0.0.1:{port}",
        ["RateLimit__PermitsPerMinute"] = "1000000",
    };

    [Fact]
    public async Task EveryCommandOnAboutPage_WorksWhenPasted()
    {
        await using var server = await KeyserverProcess.StartAsync(env: Environment);
        using var owner = GpgHome.Create();
        using var reader = GpgHome.Create();
        using var sifsign = new SifSignProcess();
        var sq = Tools.Require("sq", "sq");
        var address = $"about-{Guid.NewGuid():N}@example.org";
        var fingerprint = owner.GenerateKey($"About Page <{address}>");
        var keyFile = Path.Combine(sifsign.Home, "key.asc");
        await File.WriteAllTextAsync(keyFile, owner.ExportArmored(fingerprint));
        using var http = server.CreateClient();

        // /about shows them in command boxes, the home page in its list of ways to publish.
        var html = await http.GetStringAsync(new Uri("about", UriKind.Relative)) + await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var commands = CodeBlock().Matches(html)
            .SelectMany(m => WebUtility.HtmlDecode(Tag().Replace(m.Groups[1].Value, "")).Split('\n'))
            .Select(l => l.Trim())
            .Where(l => Programs.Any(p => l.StartsWith(p + " ", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        Assert.True(commands.Count >= 10, string.Join('\n', commands));
        Assert.Contains(commands, c => c.StartsWith("sq ", StringComparison.Ordinal));

        // Uploads first, so that the lookups find the key; sifsign pushes what it pulled.
        static int Order(string c) => c.Contains("--send-keys", StringComparison.Ordinal) || c.Contains(" send ", StringComparison.Ordinal) ? 0
            : c.StartsWith("sifsign key push", StringComparison.Ordinal) ? 2
            : 1;
        foreach (var command in commands.OrderBy(Order))
        {
            var words = command
                .Replace("FINGERPRINT", fingerprint, StringComparison.Ordinal)
                .Replace("key.asc", keyFile, StringComparison.Ordinal)
                .Replace("alice@example.org", address, StringComparison.Ordinal)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ProcessResult? result = words[0] switch
            {
                // Only the home directory and batch mode are added (GpgHome): the command is as shown.
                "gpg" => await (words.Contains("--send-keys") ? owner : reader).RunAsync(words[1..]),
                "sq" => await ProcessRunner.RunAsync(sq, words[1..]),
                "sifsign" => await sifsign.RunAsync(words[1..]),
                "apptainer" => null,
                _ => throw new InvalidOperationException($"/about shows a command of an unknown program: {command}"),
            };
            if (result is null)
            {
                Assert.Contains($"--url {server.BaseUri.ToString().TrimEnd('/')} ", command + " ");
                continue;
            }

            if (command.Contains("--search-keys", StringComparison.Ordinal))
            {
                // In a terminal gpg lists the matches and asks which to import; in batch mode it lists
                // them and then exits 2 because it cannot ask.
                Assert.True(result.StandardOutput.Contains(address, StringComparison.Ordinal), $"{command}\n{result}");
                continue;
            }

            Assert.True(result.ExitCode == 0, $"{command}\n{result}\n{server.Output}");
            if (command.Contains(" get ", StringComparison.Ordinal))
            {
                Assert.Contains("BEGIN PGP PUBLIC KEY BLOCK", result.StandardOutput);
            }
        }

        Assert.Contains(fingerprint, reader.Fingerprints());
    }

    private static readonly string[] Programs = ["gpg", "sq", "apptainer", "sifsign"];

    [GeneratedRegex("<code>(.*?)</code>", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
