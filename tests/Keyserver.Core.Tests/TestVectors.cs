namespace Keyserver.Core.Tests;

/// <summary>The key files in TestData (facts in TestData/README.md) and ways to take them apart.</summary>
internal static class TestVectors
{
    public const string AliceFingerprint = "5721B04BA03412E80C6BAC4036B1D1D69AA763BC";
    public const string AliceSigningSubkey = "8177C78A6EECD4656603B213E94B5D66ED871238";
    public const string DaveFingerprint = "71B7B684C9857003E616DCA8FB3689D601BFD893";
    public const string NinaFingerprint = "CC63F57EAC47ABD2C6E8ACE832F16B760BFFCB08";
    public const string PaulFingerprint = "754B974A1F9451E0329BF736D1677F6160667CB6";
    public const string BrunoFingerprint = "359935BB73610B55511CA4209D4F800E6C76A7DC";
    public const string EveFingerprint = "7BDE539E2C751CBD602D1F081972B36D34B6686B";
    public const string EveSubkey = "D5E253209279A141CA9DF7B9A44FB065CB5A2651";
    public const string OldTimerFingerprint = "B24254854FA0CC57FB9E9B5A72835DB14798C86B";

    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    /// <summary>The binary packets of a vector (armor removed).</summary>
    public static byte[] Binary(string name)
    {
        var bytes = Read(name);
        return ArmorDecoder.LooksArmored(bytes) ? ArmorDecoder.Decode(bytes)[0].Data! : bytes;
    }

    public static List<Packet> Packets(string name) => PacketReader.Split(Binary(name), out _);

    public static byte[] Join(IEnumerable<Packet> packets)
    {
        using var output = new MemoryStream();
        foreach (var packet in packets)
        {
            packet.WriteTo(output);
        }

        return output.ToArray();
    }

    /// <summary>A copy of the packet with one byte of its body flipped (near the end: the signature value).</summary>
    public static Packet Corrupt(Packet packet, int fromEnd = 3)
    {
        var body = packet.Body.ToArray();
        body[^fromEnd] ^= 0x55;
        return packet with { Body = body };
    }

    public static KeyIngestor Ingestor(InMemoryKeyStore store, PublicationMode mode = PublicationMode.None, KeyLimits? limits = null) =>
        new(store, new KeyPolicy(mode, limits ?? new KeyLimits()), new FakeTimeProvider(Now));

    /// <summary>Ingests a vector into a fresh store and returns the stored record.</summary>
    public static async Task<KeyRecord> StoredAsync(string name, PublicationMode mode = PublicationMode.None, KeyLimits? limits = null)
    {
        var store = new InMemoryKeyStore();
        var report = await Ingestor(store, mode, limits).IngestAsync(Read(name), new IngestOptions());
        var fingerprint = Assert.Single(report.Keys).Fingerprint!;
        return (await store.GetAsync(fingerprint))!;
    }
}
