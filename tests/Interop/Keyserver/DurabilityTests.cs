namespace Interop.Tests.Keyserver;

/// <summary>What a 200 from /pks/add promises: the key survives a crash (SIGKILL) and a restart.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class DurabilityTests
{
    [Fact]
    public async Task Upload_ThenKill9AndRestartOnSameData_KeyStillServed()
    {
        var dataDirectory = KeyserverProcess.CreateTempDirectory("ks-durable-");
        try
        {
            var ring = TestKeys.Certificate(TestKeys.NewKeyPair(), $"Durable <durable-{Guid.NewGuid():N}@example.org>");
            var fingerprint = TestKeys.Fingerprint(ring.GetPublicKey());
            byte[] before;
            await using (var first = await KeyserverProcess.StartAsync(dataDirectory))
            {
                using var http = first.CreateClient();
                using var added = await http.AddAsync(TestKeys.Armor(ring.GetEncoded()));
                Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
                using var served = await http.GetKeyAsync(fingerprint);
                before = await served.Content.ReadAsByteArrayAsync();

                // No graceful shutdown: whatever was acknowledged must already be on disk.
                first.Kill();
            }

            await using var second = await KeyserverProcess.StartAsync(dataDirectory);
            using var http2 = second.CreateClient();
            using var response = await http2.GetKeyAsync(fingerprint);

            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.DescribeAsync() + second);
            Assert.Equal(before, await response.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(dataDirectory);
        }
    }
}
