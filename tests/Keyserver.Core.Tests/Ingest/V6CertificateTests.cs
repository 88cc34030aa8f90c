namespace Keyserver.Core.Tests.Ingest;

/// <summary>v6 certificates (RFC 9580) made outside this code: the RFC's own sample and OpenPGP.js's.</summary>
public sealed class V6CertificateTests
{
    private readonly InMemoryKeyStore _store = new();

    private Task<IngestReport> IngestAsync(string armored) =>
        TestVectors.Ingestor(_store).IngestAsync(Encoding.ASCII.GetBytes(armored), new IngestOptions());

    [Fact]
    public async Task Ingest_Rfc9580SampleCertificate_DirectKeySignatureOverSha512Verifies()
    {
        var report = await IngestAsync(V6Certificates.Rfc9580Sample);

        var outcome = Assert.Single(report.Keys);
        Assert.Equal(KeyOutcomeKind.Added, outcome.Kind);
        Assert.Empty(outcome.Dropped);
        var record = (await _store.GetAsync(V6Certificates.Rfc9580SampleFingerprint))!;
        Assert.Equal(6, record.Version);
        Assert.Equal((27, "Ed25519"), (record.Primary.Algorithm, record.Primary.Curve));
        var subkey = Assert.Single(record.Subkeys);
        Assert.Equal(V6Certificates.Rfc9580SampleSubkey, subkey.Fingerprint);
        Assert.Equal((25, "X25519"), (subkey.Info.Algorithm, subkey.Info.Curve));

        // RFC 9580 §5.5.4.3: a v6 key ID is the first 8 octets of the fingerprint.
        Assert.Equal([V6Certificates.Rfc9580SampleFingerprint, V6Certificates.Rfc9580SampleSubkey], record.Fingerprints);
        Assert.Equal("CB186C4F0609A697", record.KeyIds[0]);
        Assert.Equal("12C83F1E706F6308", record.KeyIds[1]);

        // No user ID: stored, but there is nothing to publish.
        Assert.False(record.IsPublished);
    }

    [Fact]
    public async Task Ingest_OpenPgpJsV6Key_PublishedWithItsAddress()
    {
        var report = await IngestAsync(V6Certificates.OpenPgpJsVera);

        Assert.Equal(KeyOutcomeKind.Added, Assert.Single(report.Keys).Kind);
        var record = (await _store.GetAsync(V6Certificates.OpenPgpJsVeraFingerprint))!;
        Assert.Equal(6, record.Version);
        Assert.Equal(V6Certificates.OpenPgpJsVeraSubkey, Assert.Single(record.Subkeys).Fingerprint);
        Assert.Equal(V6Certificates.OpenPgpJsVeraEmail, Assert.Single(record.PublishedEmails));
        Assert.True(record.IsPublished);
    }

    [Fact]
    public async Task Ingest_V6KeyTwiceThenWithNewIdentity_UnchangedThenMerged()
    {
        var key = new CraftedEd25519(6);
        await TestVectors.Ingestor(_store).IngestAsync(key.Key("Six <six@example.org>"), new IngestOptions());

        var again = await TestVectors.Ingestor(_store).IngestAsync(key.Key("Six <six@example.org>"), new IngestOptions());
        var more = await TestVectors.Ingestor(_store).IngestAsync(key.Key("Six Other <six.other@example.org>"), new IngestOptions());

        // Each call signs afresh (v6 signatures are salted), so the second upload brings new signature packets.
        Assert.NotEqual(KeyOutcomeKind.Rejected, Assert.Single(again.Keys).Kind);
        Assert.Equal(KeyOutcomeKind.Updated, Assert.Single(more.Keys).Kind);
        var record = (await _store.GetAsync(key.FingerprintHex))!;
        Assert.Equal(["six.other@example.org", "six@example.org"], record.PublishedEmails.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ingest_Rfc9580SampleWithFlippedSignatureByte_Rejected()
    {
        var binary = Convert.FromBase64String(string.Concat(V6Certificates.Rfc9580Sample.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('-'))));
        // The direct-key signature's value ends before the subkey packet (byte 0xCE, tag 14).
        var subkey = Array.IndexOf(binary, (byte)0xCE, 60);
        binary[subkey - 2] ^= 0x01;

        var report = await TestVectors.Ingestor(_store).IngestAsync(binary, new IngestOptions());

        Assert.Equal(KeyOutcomeKind.Rejected, Assert.Single(report.Keys).Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(32)]
    public async Task Ingest_V6SignatureWithSaltNotFittingSha256_Rejected(int saltLength)
    {
        var key = new CraftedEd25519(6);

        var report = await TestVectors.Ingestor(_store).IngestAsync(key.Key("Salty <salty@example.org>", saltLength: saltLength), new IngestOptions());

        Assert.Equal("no valid self-signed user ID or direct-key signature left", Assert.Single(report.Keys).Reason);
    }
}
