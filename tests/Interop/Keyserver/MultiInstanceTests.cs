using System.Collections.Concurrent;

namespace Interop.Tests.Keyserver;

/// <summary>
/// Two real server processes on one PostgreSQL database behave as one server: concurrent uploads of
/// one key merge, a killed instance loses no acknowledged key, and a mail queued by a killed
/// instance is delivered once by the other.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class MultiInstanceTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ConcurrentGpgSendKeys_ThroughBothInstances_EveryComponentServedByBoth()
    {
        var database = SharedDatabase();
        await using var first = await KeyserverProcess.StartAsync(env: database);
        await using var second = await KeyserverProcess.StartAsync(env: database);

        // One key, four copies: each adds its own user ID and signing subkey, and sends through one
        // instance, all four at once.
        using var origin = GpgHome.Create();
        var fingerprint = origin.GenerateKey($"Origin <origin-{Guid.NewGuid():N}@example.org>");
        var secret = origin.Run("--armor", "--export-secret-keys", fingerprint).EnsureSuccess().StandardOutput;
        var senders = new List<GpgHome>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var home = GpgHome.Create(i % 2 == 0 ? first.BaseUri : second.BaseUri);
                senders.Add(home);
                var file = Path.Combine(home.Path, "secret.asc");
                await File.WriteAllTextAsync(file, secret);
                home.Run("--import", file).EnsureSuccess();
                home.AddUserId(fingerprint, $"Copy {i} <copy{i}@example.org>");
                home.Run("--passphrase", "", "--pinentry-mode", "loopback", "--quick-add-key", fingerprint, "ed25519", "sign", "never").EnsureSuccess();
            }

            var sent = await Task.WhenAll(senders.Select(h => h.RunAsync("--send-keys", fingerprint)));
            foreach (var result in sent)
            {
                result.EnsureSuccess();
            }

            var expectedSubkeys = senders.SelectMany(h => h.SubkeyIds(fingerprint)).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(5, expectedSubkeys.Count);
            foreach (var instance in new[] { first, second })
            {
                using var reader = GpgHome.Create(instance.BaseUri);
                reader.Run("--recv-keys", fingerprint).EnsureSuccess();
                var userIds = reader.ListKeys(fingerprint).Where(f => f[0] == "uid").Select(f => f[9]).ToList();
                Assert.Equal(5, userIds.Count);
                for (var i = 0; i < 4; i++)
                {
                    Assert.Contains($"Copy {i} <copy{i}@example.org>", userIds);
                }

                Assert.Equal(expectedSubkeys.Order(), reader.SubkeyIds(fingerprint).Order());
            }
        }
        finally
        {
            senders.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task Kill9OfOneInstanceDuringUploads_EveryAcknowledgedKeyServedByTheOther()
    {
        var database = SharedDatabase();
        await using var victim = await KeyserverProcess.StartAsync(env: database);
        await using var survivor = await KeyserverProcess.StartAsync(env: database);

        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var uploaders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var http = victim.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                var armored = TestKeys.ArmoredCertificate($"Crash <crash-{Guid.NewGuid():N}@example.org>", out var fingerprint);
                try
                {
                    using var added = await http.AddAsync(armored);
                    if (added.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(fingerprint);
                    }
                }
                catch (HttpRequestException)
                {
                    // The instance is gone; what it did not acknowledge may be lost.
                    return;
                }
            }
        })).ToList();

        await Eventually.TrueAsync(() => acknowledged.Count >= 20, "20 acknowledged uploads");
        victim.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(uploaders);

        using var client = survivor.CreateClient();
        foreach (var fingerprint in acknowledged)
        {
            using var served = await client.GetKeyAsync(fingerprint);
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{fingerprint}: {await served.DescribeAsync()}");
        }
    }

    [Fact]
    public async Task MailQueuedByKilledInstance_DeliveredExactlyOnceByTheOther()
    {
        var database = SharedDatabase();
        using var smtp = LoopbackSmtpServer.Start();

        // The first instance's mail server is down: it queues the mail, fails once, reschedules it, and dies.
        var deadSmtp = new Dictionary<string, string>(MailLinks.ServerEnvironment(LoopbackPort.Free()))
        {
            ["Mail__RetryInitialDelay"] = "00:00:01",
        };
        foreach (var (name, value) in database)
        {
            deadSmtp[name] = value;
        }

        var address = $"queued-{Guid.NewGuid():N}@example.org";
        var armored = TestKeys.ArmoredCertificate($"Queued <{address}>", out _);
        await using (var first = await KeyserverProcess.StartAsync(env: deadSmtp))
        {
            using var http = first.CreateClient();
            using var added = await http.AddAsync(armored);
            Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
            await Eventually.TrueAsync(
                () => postgres.Psql(database["Storage__ConnectionString"], "SELECT attempts FROM mail_outbox").Trim() is { Length: > 0 } a
                      && int.Parse(a.Split('\n')[0], CultureInfo.InvariantCulture) >= 1,
                "the first instance's failed delivery attempt");
            first.Kill();
        }

        var working = new Dictionary<string, string>(MailLinks.ServerEnvironment(smtp.Port));
        foreach (var (name, value) in database)
        {
            working[name] = value;
        }

        await using var second = await KeyserverProcess.StartAsync(env: working);
        await smtp.Mailbox.WaitForAsync(address);

        // Delivered and removed from the shared outbox: nothing is left that could be sent again.
        await Eventually.TrueAsync(
            () => postgres.Psql(database["Storage__ConnectionString"], "SELECT count(*) FROM mail_outbox").Trim() == "0",
            "the outbox emptied after delivery");
        Assert.Single(smtp.Mailbox.To(address));
    }

    private Dictionary<string, string> SharedDatabase() => PostgreSqlEnvironment.Of(postgres.CreateDatabase());
}
