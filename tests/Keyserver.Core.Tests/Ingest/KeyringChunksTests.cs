using System.Text;
using Keyserver.Core.Ingest;

namespace Keyserver.Core.Tests.Ingest;

public sealed class KeyringChunksTests
{
    private static async Task<List<byte[]>> ChunksAsync(byte[] input, int target)
    {
        var chunks = new List<byte[]>();
        await foreach (var chunk in KeyringChunks.ReadAsync(new MemoryStream(input), target))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static byte[] Keyring(params string[] vectors) => [.. vectors.SelectMany(TestVectors.Binary)];

    [Fact]
    public async Task Binary_CutBeforeEachKeyPastTheTarget_NothingLostOrReordered()
    {
        var keyring = Keyring("ed25519-eve.asc", "rsa-alice.pgp", "dsa-elg-dave.asc");

        var chunks = await ChunksAsync(keyring, 1);

        Assert.Equal(3, chunks.Count);
        Assert.Equal(keyring, chunks.SelectMany(c => c));
        Assert.Equal(TestVectors.Binary("rsa-alice.pgp"), chunks[1]);
    }

    [Fact]
    public async Task Binary_LargeTarget_OneChunk()
    {
        var keyring = Keyring("ed25519-eve.asc", "rsa-alice.pgp");

        Assert.Equal(keyring, Assert.Single(await ChunksAsync(keyring, 1 << 20)));
    }

    [Fact]
    public async Task Armored_CutAfterEndLines_EachChunkIngestsAlone()
    {
        var armored = TestVectors.Read("ed25519-eve.asc").Concat("\nsome text\n"u8.ToArray()).Concat(TestVectors.Read("dsa-elg-dave.asc")).ToArray();

        var chunks = await ChunksAsync(armored, 1);

        Assert.Equal(2, chunks.Count);
        var store = new InMemoryKeyStore();
        foreach (var chunk in chunks)
        {
            Assert.Equal(KeyOutcomeKind.Added, Assert.Single((await TestVectors.Ingestor(store).IngestAsync(chunk, new IngestOptions())).Keys).Kind);
        }
    }

    [Fact]
    public async Task Empty_NoChunk() => Assert.Empty(await ChunksAsync([], 10));

    [Theory]
    [InlineData(new byte[] { 0xC6, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x9A, 0x7F, 0xFF, 0xFF, 0xFF })]
    public async Task Binary_PacketClaimingGigabytes_InvalidDataNotAllocated(byte[] header) =>
        await Assert.ThrowsAsync<InvalidDataException>(() => ChunksAsync(header, 10));

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public async Task Binary_CutOff_PassedOnForTheIngestToReport(int cut)
    {
        var keyring = Keyring("ed25519-eve.asc", "dsa-elg-dave.asc");

        var chunks = await ChunksAsync(keyring[..^cut], 1);

        Assert.Equal(keyring[..^cut], chunks.SelectMany(c => c));
        var report = await TestVectors.Ingestor(new InMemoryKeyStore()).IngestAsync(chunks[^1], new IngestOptions());
        Assert.NotEmpty(report.Errors.Concat(report.Keys.Where(k => k.Kind == KeyOutcomeKind.Rejected).Select(k => k.Reason!)));
    }

    [Fact]
    public async Task Binary_PartialLength_RestPassedOnForTheIngestToJudge()
    {
        byte[] input = [0xCB, 0xE1, 1, 2, 3, 4, 5];

        Assert.Equal(input, Assert.Single(await ChunksAsync(input, 1)));
    }

    [Fact]
    public async Task Text_NotArmor_PassedOnWhole() =>
        Assert.Equal("hello\nworld\n", Encoding.UTF8.GetString(Assert.Single(await ChunksAsync("hello\nworld"u8.ToArray(), 1))));
}
