using System.Collections.Concurrent;

namespace Interop.Tests.Deploy;

/// <summary>SIGTERM as systemd or `docker stop` sends it, in the middle of a burst of uploads.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class ShutdownTests
{
    private const int Keys = 120;
    private const int Workers = 6;
    private const int AcknowledgedBeforeSignal = 12;

    [Fact]
    public async Task Sigterm_DuringUploadBurst_ExitsZero_LosesNoAcknowledgedKey_CutsNoAnswer()
    {
        var data = KeyserverProcess.CreateTempDirectory("ks-term-");
        try
        {
            var env = new Dictionary<string, string> { ["RateLimit__PermitsPerMinute"] = "1000000" };
            var keys = Enumerable.Range(0, Keys).Select(i =>
            {
                var pair = TestKeys.NewKeyPair();
                return (Fingerprint: TestKeys.Fingerprint(pair.PublicKey),
                    Armored: TestKeys.Armor(TestKeys.Certificate(pair, $"Burst {i} <burst{i}@example.org>").GetEncoded()));
            }).ToArray();

            var acknowledged = new ConcurrentBag<string>();
            var cut = new ConcurrentBag<string>();
            var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var next = -1;
            int exitCode;
            await using (var server = await KeyserverProcess.StartAsync(data, env))
            {
                async Task WorkAsync()
                {
                    using var http = server.CreateClient();
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < keys.Length)
                    {
                        var (fingerprint, armored) = keys[i];
                        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("pks/add", UriKind.Relative))
                        {
                            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("keytext", armored)]),
                        };
                        HttpResponseMessage response;
                        try
                        {
                            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                        }
                        catch (HttpRequestException)
                        {
                            // Refused or closed before an answer began: not acknowledged, and allowed.
                            continue;
                        }

                        using (response)
                        {
                            string body;
                            try
                            {
                                body = await response.Content.ReadAsStringAsync();
                            }
                            catch (Exception e) when (e is HttpRequestException or IOException)
                            {
                                cut.Add($"{fingerprint}: {(int)response.StatusCode} then {e.Message}");
                                continue;
                            }

                            if (response.StatusCode != HttpStatusCode.OK)
                            {
                                continue;
                            }

                            // A whole answer: the line for this key, ended by a newline.
                            if (!body.Contains(fingerprint + " added", StringComparison.Ordinal) || !body.EndsWith('\n'))
                            {
                                cut.Add($"{fingerprint}: incomplete answer '{body}'");
                                continue;
                            }

                            acknowledged.Add(fingerprint);
                            if (acknowledged.Count >= AcknowledgedBeforeSignal)
                            {
                                enoughAcknowledged.TrySetResult();
                            }
                        }
                    }

                    enoughAcknowledged.TrySetResult();
                }

                var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
                await enoughAcknowledged.Task;
                await server.StopAsync();
                await Task.WhenAll(workers);
                exitCode = server.ExitCode ?? -1;
                Assert.True(exitCode == 0, $"exit code {exitCode}\n{server.Output}");
            }

            Assert.Empty(cut);
            Assert.True(acknowledged.Count >= AcknowledgedBeforeSignal, $"only {acknowledged.Count} uploads acknowledged");

            await using var restarted = await KeyserverProcess.StartAsync(data, env);
            using var client = restarted.CreateClient();
            foreach (var fingerprint in acknowledged)
            {
                using var served = await client.GetKeyAsync(fingerprint);
                Assert.True(served.StatusCode == HttpStatusCode.OK, $"acknowledged key {fingerprint} lost: {await served.DescribeAsync()}");
            }
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(data);
        }
    }
}
