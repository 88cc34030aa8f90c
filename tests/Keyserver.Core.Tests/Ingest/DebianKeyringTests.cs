using System.Diagnostics;
using Xunit.Abstractions;

namespace Keyserver.Core.Tests.Ingest;

/// <summary>Bulk import of Debian's real keyring (905 keys, 48k signatures, 28 MB; package debian-keyring).</summary>
public sealed class DebianKeyringTests(ITestOutputHelper output)
{
    private const string KeyringPath = "/usr/share/keyrings/debian-keyring.gpg";

    [Fact]
    public async Task Import_DebianKeyring_EveryKeyAddedOrRejectedWithReason()
    {
        var input = await File.ReadAllBytesAsync(KeyringPath);
        var store = new InMemoryKeyStore();
        var ingestor = new KeyIngestor(store, new KeyPolicy(PublicationMode.Email, new KeyLimits()), TimeProvider.System);

        var stopwatch = Stopwatch.StartNew();
        var report = await ingestor.IngestAsync(input, new IngestOptions(PublishAll: true));
        stopwatch.Stop();

        var rejected = report.Keys.Where(k => k.Kind == KeyOutcomeKind.Rejected).ToList();
        output.WriteLine($"{report.Keys.Count} keys in {stopwatch.ElapsedMilliseconds} ms; {rejected.Count} rejected; {store.Count} stored");
        foreach (var group in rejected.GroupBy(k => k.Reason))
        {
            output.WriteLine($"  rejected {group.Count()}: {group.Key}");
        }

        Assert.Empty(report.Errors);
        Assert.InRange(report.Keys.Count, 900, 910);
        Assert.All(report.Keys, k => Assert.True(
            k.Kind == KeyOutcomeKind.Added || (k.Kind == KeyOutcomeKind.Rejected && !string.IsNullOrEmpty(k.Reason)),
            $"{k.Fingerprint}: {k.Kind} {k.Reason}"));
        Assert.Equal(report.Keys.Count(k => k.Kind == KeyOutcomeKind.Added), store.Count);
        Assert.True(store.Count > 800, $"only {store.Count} keys stored");
        var thirdParty = report.Keys.SelectMany(k => k.Dropped).Where(d => d.Contains("third-party certification", StringComparison.Ordinal))
            .Sum(d => int.Parse(d.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine($"third-party certifications dropped: {thirdParty}");
        Assert.True(thirdParty > 10000, $"only {thirdParty} third-party certifications reported");
    }
}
