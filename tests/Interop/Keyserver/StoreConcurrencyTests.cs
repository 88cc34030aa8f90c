using Keyserver.Core.Keys;
using Keyserver.Core.Storage;

namespace Interop.Tests.Keyserver;

/// <summary>
/// LiteDB 5.0.21 under concurrent reads of a file larger than its page cache (litedb-org/LiteDB#2817,
/// #2790): the real server on a store of 100,000 keys, 32 clients looking up random keys at once by
/// fingerprint, long and short key ID, address, a word shared by 1,000 keys and a word every key has
/// (a capped search), and <c>op=stats</c> from the kept counts.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class StoreConcurrencyTests
{
    private const int Keys = 100_000;
    private const int Clients = 32;
    private const int LookupsPerClient = 150;

    private static readonly DateTimeOffset Epoch = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    [Trait(TestCategories.Category, TestCategories.External)]
    public async Task ThirtyTwoConcurrentRandomLookups_HundredThousandKeys_No5xxAndHealthy()
    {
        var dataDirectory = KeyserverProcess.CreateTempDirectory("ks-100k-");
        try
        {
            // Written through the store directly: generating 100,000 OpenPGP keys would take hours.
            using (var store = new LiteDbKeyStore(Path.Combine(dataDirectory, LiteDbContext.DefaultFileName)))
            {
                const int batch = 5_000;
                for (var start = 0; start < Keys; start += batch)
                {
                    var changes = Enumerable.Range(start, batch)
                        .Select(n => new KeyChange(Fingerprint(n), _ => Record(n)))
                        .ToList();
                    await store.UpdateManyAsync(changes);
                }
            }

            // The lookup budget is not under test here: 32 clients on one loopback address would exhaust it.
            await using var server = await KeyserverProcess.StartAsync(dataDirectory, new Dictionary<string, string> { ["RateLimit__LookupsPerMinute"] = "10000000" });
            var failures = new List<string>();
            var answered = 0;
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                using var http = server.CreateClient();
                var random = new Random(client);
                for (var i = 0; i < LookupsPerClient; i++)
                {
                    var n = random.Next(Keys);
                    var uri = (i % 6) switch
                    {
                        0 => new Uri($"pks/lookup?op=get&options=mr&search=0x{Fingerprint(n)}", UriKind.Relative),
                        1 => new Uri($"pks/lookup?op=index&options=mr&search=user{n}%40example.org", UriKind.Relative),
                        2 => new Uri($"pks/lookup?op=index&options=mr&search=0x{Fingerprint(n)[^16..]}", UriKind.Relative),
                        3 => new Uri($"pks/lookup?op=get&options=mr&search=0x{Fingerprint(n)[^8..]}", UriKind.Relative),
                        4 => new Uri($"pks/lookup?op=index&options=mr&search=user+{Team(n)}", UriKind.Relative),
                        // Every key has this word: the search reads a bounded part of the index.
                        _ => new Uri(i % 60 == 5 ? "pks/lookup?op=index&options=mr&search=example" : "pks/lookup?op=stats", UriKind.Relative),
                    };
                    using var response = await http.GetAsync(uri);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add($"{uri}: {(int)response.StatusCode}");
                        }
                    }

                    Interlocked.Increment(ref answered);
                }
            })));

            Assert.True(failures.Count == 0, $"{failures.Count} of {answered} lookups failed, e.g. {string.Join("; ", failures.Take(5))}\n{server}");
            using (var stats = await server.CreateClient().GetAsync(new Uri("pks/lookup?op=stats&options=mr", UriKind.Relative)))
            {
                Assert.Contains("\"keys\":100000", (await stats.Content.ReadAsStringAsync()).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            }

            using (var team = await server.CreateClient().GetAsync(new Uri($"pks/lookup?op=index&options=mr&search={Team(0)}", UriKind.Relative)))
            {
                Assert.Equal("1000", team.Headers.GetValues("X-HKP-Results-Count").Single());
            }

            using var health = await server.CreateClient().GetAsync(new Uri("healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.DoesNotContain("LiteException", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(dataDirectory);
        }
    }

    private static string Team(int n) => "team" + (n / 1000).ToString("D3", CultureInfo.InvariantCulture);

    private static string Fingerprint(int n) => "C0FFEE" + n.ToString("X34", CultureInfo.InvariantCulture);

    private static KeyRecord Record(int n)
    {
        var fingerprint = Fingerprint(n);
        var userId = $"User {n} ({Team(n)}) <user{n}@example.org>";
        var identity = new IdentityRecord(userId, $"user{n}@example.org", IdentityState.Published, Epoch, null, null, Epoch);
        var published = Encoding.UTF8.GetBytes($"published {fingerprint} {userId}");
        return new KeyRecord
        {
            Fingerprint = fingerprint,
            Version = 4,
            FullKey = Encoding.UTF8.GetBytes($"full {fingerprint} {userId}"),
            Published = published,
            Primary = new KeyInfo(22, 256, "Ed25519", Epoch, null, null),
            Subkeys = [],
            Identities = [identity],
            Fingerprints = [fingerprint],
            KeyIds = [fingerprint[^16..]],
            ShortKeyIds = [fingerprint[^8..]],
            PublishedEmails = [identity.Email!],
            PublishedWords = ["user", n.ToString(CultureInfo.InvariantCulture), $"user{n}", Team(n), "example", "org"],
            FirstSeen = Epoch,
            LastModified = Epoch,
        };
    }
}
