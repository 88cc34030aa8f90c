namespace Interop.Tests.Deploy;

/// <summary>The metrics listener as Debian's prometheus and promtool see it.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class PrometheusTests
{
    /// <summary>Safety net for a scrape that never lands; not a performance threshold.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RealPrometheus_ScrapesMetricsListener_SeriesFollowUploadsAndLookups()
    {
        var prometheus = Tools.Require("prometheus", "prometheus");
        var promtool = Tools.Require("promtool", "prometheus");
        var metricsPort = Ports.Free();
        await using var server = await KeyserverProcess.StartAsync(env: new Dictionary<string, string>
        {
            ["Metrics__Urls"] = $"http://127.0.0.1:{metricsPort}",
        });
        using var http = server.CreateClient();

        var pair = TestKeys.NewKeyPair();
        var fingerprint = TestKeys.Fingerprint(pair.PublicKey);
        using (var added = await http.AddAsync(TestKeys.Armor(TestKeys.Certificate(pair, "Metered <metered@example.org>").GetEncoded())))
        {
            Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
        }

        using (var again = await http.AddAsync(TestKeys.Armor(TestKeys.Certificate(pair, "Metered <metered@example.org>").GetEncoded())))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        using (var junk = await http.AddAsync("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, junk.StatusCode);
        }

        (await http.GetKeyAsync(fingerprint)).Dispose();
        (await http.IndexAsync("metered@example.org")).Dispose();

        // The public listener does not serve the exposition; the metrics listener serves nothing else.
        using (var hidden = await http.GetAsync(new Uri("metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        using var metricsHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/") };
        using (var other = await metricsHttp.GetAsync(new Uri("pks/lookup?op=stats", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        var exposition = await metricsHttp.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var check = await ProcessRunner.RunAsync(promtool, ["check", "metrics"], standardInput: Encoding.UTF8.GetBytes(exposition));
        Assert.True(check.ExitCode == 0, check.ToString());

        var home = KeyserverProcess.CreateTempDirectory("prom-");
        try
        {
            var config = Path.Combine(home, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: keyserver
                    static_configs:
                      - targets: ['127.0.0.1:{metricsPort}']
                """);
            var webPort = Ports.Free();
            using var process = Process.Start(new ProcessStartInfo(prometheus)
            {
                ArgumentList =
                {
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + Path.Combine(home, "tsdb"),
                    $"--web.listen-address=127.0.0.1:{webPort}",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            try
            {
                using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
                Assert.Equal(1, await QueryAsync(api, process, log, "sum(keyserver_uploads_total{outcome=\"added\"})"));
                Assert.Equal(1, await QueryAsync(api, process, log, "sum(keyserver_uploads_total{outcome=\"unchanged\"})"));
                Assert.Equal(1, await QueryAsync(api, process, log, "sum(keyserver_uploads_total{outcome=\"rejected\"})"));
                Assert.Equal(1, await QueryAsync(api, process, log, "sum(keyserver_http_request_duration_seconds_count{endpoint=\"hkp_get\",status_class=\"2xx\"})"));
                Assert.Equal(1, await QueryAsync(api, process, log, "sum(keyserver_http_request_duration_seconds_count{endpoint=\"hkp_index\",status_class=\"2xx\"})"));
                Assert.Equal(2, await QueryAsync(api, process, log, "sum(keyserver_http_request_duration_seconds_count{endpoint=\"hkp_add\",status_class=\"2xx\"})"));
                Assert.Equal(1, await QueryAsync(api, process, log, "keyserver_keys_stored"));
                Assert.Equal(1, await QueryAsync(api, process, log, "keyserver_keys_published"));
                Assert.Equal(1, await QueryAsync(api, process, log, "keyserver_identities{state=\"published\"}"));
                Assert.Equal(0, await QueryAsync(api, process, log, "keyserver_identities{state=\"pending\"}"));
                Assert.Equal(0, await QueryAsync(api, process, log, "keyserver_identities{state=\"unpublished\"}"));
                Assert.Equal(0, await QueryAsync(api, process, log, "keyserver_identities{state=\"revoked\"}"));
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(home);
        }
    }

    /// <summary>Asks prometheus until the query has a sample (after a scrape), and returns its value.</summary>
    private static async Task<double> QueryAsync(HttpClient api, Process prometheus, StringBuilder log, string query)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited:\n{log}");
            try
            {
                using var document = JsonDocument.Parse(await api.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative)));
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"prometheus has no sample for {query} after {Patience}.\n{log}");
            }

            await Task.Delay(250);
        }
    }
}
