using SifSign.Text;

namespace SifSign.Tests.Text;

public class SifTextTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "Empty", "empty.sif" },
        { "EmptyID", "empty-id.sif" },
        { "EmptyLaunchScript", "empty-launch-script.sif" },
        { "OneObjectTime", "one-object-time.sif" },
        { "OneObjectGenericJSON", "one-object-generic-json.sif" },
        { "OneObjectCryptMessage", "one-object-crypt-message.sif" },
        { "OneObjectSBOM", "one-object-sbom.sif" },
        { "OneGroup", "one-group.sif" },
        { "OneGroupSigned", "one-group-signed.sif" },
        { "OneGroupSignedLegacy", "one-group-signed-legacy.sif" },
        { "OneGroupSignedLegacyAll", "one-group-signed-legacy-all.sif" },
        { "OneGroupSignedLegacyGroup", "one-group-signed-legacy-group.sif" },
        { "TwoGroups", "two-groups.sif" },
        { "TwoGroupsSigned", "two-groups-signed.sif" },
        { "TwoGroupsSignedLegacy", "two-groups-signed-legacy.sif" },
        { "TwoGroupsSignedLegacyAll", "two-groups-signed-legacy-all.sif" },
        { "TwoGroupsSignedLegacyGroup", "two-groups-signed-legacy-group.sif" },
    };

    public static TheoryData<string, string, uint> InfoCases => new()
    {
        { "Time", "one-object-time.sif", 1 },
        { "GenericJSON", "one-object-generic-json.sif", 1 },
        { "CryptMessage", "one-object-crypt-message.sif", 1 },
        { "SBOM", "one-object-sbom.sif", 1 },
        { "DataPartitionRaw", "two-groups-signed.sif", 1 },
        { "DataPartitionSquashFS", "two-groups-signed.sif", 2 },
        { "DataPartitionEXT3", "two-groups-signed.sif", 3 },
        { "DataSignature", "two-groups-signed.sif", 4 },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Header_ReferenceImage_MatchesGolden(string golden, string image)
    {
        using var sif = SifImage.Open(Fixtures.Image(image));

        Assert.Equal(File.ReadAllText(Fixtures.SiftoolGolden("TestApp_Header", golden)), SifText.Header(sif));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void List_ReferenceImage_MatchesGolden(string golden, string image)
    {
        using var sif = SifImage.Open(Fixtures.Image(image));

        Assert.Equal(File.ReadAllText(Fixtures.SiftoolGolden("TestApp_List", golden)), SifText.List(sif));
    }

    [Theory]
    [MemberData(nameof(InfoCases))]
    public void Info_ReferenceObject_MatchesGolden(string golden, string image, uint id)
    {
        using var sif = SifImage.Open(Fixtures.Image(image));

        Assert.Equal(File.ReadAllText(Fixtures.SiftoolGolden("TestApp_Info", golden)), SifText.Info(sif, id));
    }

    [Theory]
    [InlineData("One", 1u)]
    [InlineData("Two", 2u)]
    [InlineData("Three", 3u)]
    public void Dump_ReferenceObject_MatchesGolden(string golden, uint id)
    {
        using var sif = SifImage.Open(Fixtures.Image("one-group-signed.sif"));
        using var output = new MemoryStream();

        SifText.Dump(sif, id, output);

        Assert.Equal(File.ReadAllBytes(Fixtures.SiftoolGolden("TestApp_Dump", golden)), output.ToArray());
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(99u)]
    public void Info_UnknownObject_ThrowsObjectNotFound(uint id)
    {
        using var sif = SifImage.Open(Fixtures.Image("one-group-signed.sif"));

        var error = Assert.Throws<SifException>(() => SifText.Info(sif, id));
        Assert.Equal("object not found", error.Message);
    }

    [Fact]
    public void Dump_UnknownObject_ThrowsObjectNotFound()
    {
        using var sif = SifImage.Open(Fixtures.Image("one-group-signed.sif"));

        Assert.Throws<SifException>(() => SifText.Dump(sif, 0, Stream.Null));
    }

    [Theory]
    [InlineData(1L, "1 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1 KiB")]
    [InlineData(2047L, "2 KiB")]
    [InlineData(1024L * 1024, "1 MiB")]
    [InlineData(1024L * 1024 * 1024, "1 GiB")]
    [InlineData(1024L * 1024 * 1024 * 1024, "1 TiB")]
    [InlineData(1024L * 1024 * 1024 * 1024 * 1024, "1 PiB")]
    [InlineData(1024L * 1024 * 1024 * 1024 * 1024 * 1024, "1 EiB")]
    [InlineData(28080L, "27 KiB")]
    public void ReadableSize_Value_MatchesGoFormat(long size, string expected)
    {
        Assert.Equal(expected, SifText.ReadableSize(size));
    }

    [Fact]
    public void GoTime_OutOfCalendarRange_DoesNotThrow()
    {
        Assert.Contains("Unix seconds", SifText.GoTime(long.MaxValue), StringComparison.Ordinal);
    }
}
