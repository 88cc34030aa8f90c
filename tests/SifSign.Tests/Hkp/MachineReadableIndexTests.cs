namespace SifSign.Tests.Hkp;

public class MachineReadableIndexTests
{
    // The index recorded in spec hkp.md §9.
    private const string RecordedIndex =
        "info:1:2\n" +
        "pub:65667554D3245D8304B1F45B01B4B5A517F56CA4:1:4096:1795591942::\n" +
        "uid:Test%20User%20%3Ctest@example.org%3E:1795591942::\n" +
        "pub:0123456789ABCDEF0123456789ABCDEF01234567:22:256:1700000000:1900000000:e\n" +
        "uid:Other%20Person%20%3Cother@example.org%3E:1700000000::\n" +
        "uid:Other%20Alias%20%3Calias@example.org%3E:1700000000::\n";

    [Fact]
    public void Parse_RecordedIndex_ReadsKeysAndUids()
    {
        var entries = MachineReadableIndex.Parse(RecordedIndex);

        Assert.Equal(2, entries.Count);
        Assert.Equal("65667554D3245D8304B1F45B01B4B5A517F56CA4", entries[0].KeyId);
        Assert.Equal(1, entries[0].Algorithm);
        Assert.Equal(4096, entries[0].Bits);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795591942), entries[0].Created);
        Assert.Null(entries[0].Expires);
        Assert.Equal(["Test User <test@example.org>"], entries[0].UserIds);
        Assert.Equal("e", entries[1].Flags);
        Assert.Equal(["Other Person <other@example.org>", "Other Alias <alias@example.org>"], entries[1].UserIds);
    }

    [Fact]
    public void Parse_CrLfNoInfoTrailingFieldsOmittedAndUnknownRecords_Accepted()
    {
        var entries = MachineReadableIndex.Parse("pub:7FF7BA84:1:2048\r\nuat::::\r\nuid:alice <alice@example.com>\r\n");

        var entry = Assert.Single(entries);
        Assert.Equal("7FF7BA84", entry.KeyId);
        Assert.Null(entry.Created);
        Assert.Equal(["alice <alice@example.com>"], entry.UserIds);
    }

    [Fact]
    public void Parse_InvalidPercentEscape_KeepsTextRaw()
    {
        var entry = Assert.Single(MachineReadableIndex.Parse("pub:7FF7BA84:1:2048::\nuid:100%zz sure:::\n"));

        Assert.Equal("100%zz sure", entry.UserIds[0]);
    }

    [Fact]
    public void Parse_Utf8Escapes_DecodesUtf8()
    {
        var entry = Assert.Single(MachineReadableIndex.Parse("pub:7FF7BA84:1:2048::\nuid:J%C3%BCrgen%3A:::\n"));

        Assert.Equal("Jürgen:", entry.UserIds[0]);
    }

    [Fact]
    public void Parse_EmptyBody_ReturnsNoEntries()
    {
        Assert.Empty(MachineReadableIndex.Parse(string.Empty));
    }

    [Theory]
    [MemberData(nameof(MalformedIndexes))]
    public void Parse_MalformedIndex_ThrowsHkpExceptionWithReason(string text, string reason)
    {
        var e = Assert.Throws<HkpException>(() => MachineReadableIndex.Parse(text));

        Assert.StartsWith("malformed index from keyserver", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedIndexes => new()
    {
        { "<html><body>Not found</body></html>", "HTML" },
        { "info:2:1\npub:7FF7BA84:1:2048::\n", "version" },
        { "info:1:3\npub:7FF7BA84:1:2048::\n", "announces 3 keys" },
        { "info:1:x\n", "not a number" },
        { "pub:NOTHEX!!:1:2048::\n", "not a key ID" },
        { "pub:7FF7BA84:rsa:2048::\n", "algorithm" },
        { "pub:7FF7BA84:1:2048:yesterday::\n", "Unix time" },
        { "pub:7FF7BA84:1:2048:99999999999999999999::\n", "Unix time" },
        { "uid:orphan:::\n", "uid before any pub" },
    };

    [Fact]
    public void Parse_HostileLongField_ErrorMessageIsTruncated()
    {
        var e = Assert.Throws<HkpException>(() => MachineReadableIndex.Parse("pub:" + new string('Z', 100_000) + ":1:1::\n"));

        Assert.True(e.Message.Length < 300);
    }
}
