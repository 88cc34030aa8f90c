using Keyserver.Bench;

namespace Keyserver.Web.Tests.Commands;

public class KeyringChunksTests
{
    private static async Task<(List<byte[]> Chunks, List<string> Errors)> SplitAsync(byte[] file)
    {
        using var stream = new MemoryStream(file);
        var reader = new KeyringChunks(stream);
        var chunks = new List<byte[]>();
        await foreach (var chunk in reader.ReadAsync())
        {
            chunks.Add(chunk);
        }

        return (chunks, reader.Errors);
    }

    private static byte[] Keyring(int keys) =>
        Enumerable.Range(0, keys).SelectMany(i => SyntheticKeyring.Generate(seed: 7, i).Packets).ToArray();

    [Fact]
    public async Task Binary_SplitAtKeyBoundaries_InChunksOfTheBoundWithNothingLost()
    {
        var file = Keyring(KeyringChunks.KeysPerChunk * 2 + 3);

        var (chunks, errors) = await SplitAsync(file);

        Assert.Empty(errors);
        Assert.Equal(3, chunks.Count);
        Assert.Equal(file, chunks.SelectMany(c => c).ToArray());
        // Every chunk starts with a public key packet (new format, tag 6).
        Assert.All(chunks, chunk => Assert.Equal(0xC6, chunk[0]));
        Assert.Equal(SyntheticKeyring.Generate(7, KeyringChunks.KeysPerChunk).Packets[..20], chunks[1][..20]);
    }

    [Fact]
    public async Task Binary_HostileLengthOrHeader_ErrorAndTheKeysBeforeItKept()
    {
        var key = SyntheticKeyring.Generate(7, 0).Packets;
        // A user ID packet announcing 2 GiB (five-octet length), then a byte that is no packet header.
        byte[] huge = [.. key, 0xCD, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF];
        byte[] garbage = [.. key, 0x00, 0x01];

        var (hugeChunks, hugeErrors) = await SplitAsync(huge);
        var (garbageChunks, garbageErrors) = await SplitAsync(garbage);

        Assert.Contains(hugeErrors, e => e.Contains("more than", StringComparison.Ordinal));
        Assert.Equal(key, Assert.Single(hugeChunks));
        Assert.Contains(garbageErrors, e => e.Contains("not an OpenPGP packet header", StringComparison.Ordinal));
        Assert.Equal(key, Assert.Single(garbageChunks));
    }

    [Fact]
    public async Task Armored_WholeBlocksHandedOnWithTheTextBetweenThemDropped()
    {
        var first = TestKeys.Create("First <first@example.org>").Armored;
        var second = TestKeys.Create("Second <second@example.org>").Armored;
        var file = Encoding.UTF8.GetBytes("some mail text\n" + first + "\nmore text\n" + second);

        var (chunks, errors) = await SplitAsync(file);

        Assert.Empty(errors);
        var text = Encoding.UTF8.GetString(Assert.Single(chunks));
        Assert.DoesNotContain("text", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("-----END PGP PUBLIC KEY BLOCK-----").Length - 1);
    }

    [Fact]
    public async Task Empty_OneEmptyChunkSoTheUploadPathReportsIt()
    {
        var (chunks, errors) = await SplitAsync([]);

        Assert.Empty(errors);
        Assert.Empty(Assert.Single(chunks));
    }
}
