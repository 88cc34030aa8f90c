namespace Interop.Tests.Sif;

/// <summary><c>sifsign sif list|header|info|dump</c> print the reference's golden outputs byte for byte.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public class GoldenTextTests
{
    // The reference's info/dump tests: golden name → (image, object ID) (siftool info_test.go).
    private static readonly Dictionary<string, (string Image, int Id)> InfoCases = new()
    {
        ["Time"] = ("one-object-time.sif", 1),
        ["GenericJSON"] = ("one-object-generic-json.sif", 1),
        ["CryptMessage"] = ("one-object-crypt-message.sif", 1),
        ["SBOM"] = ("one-object-sbom.sif", 1),
        ["DataPartitionRaw"] = ("two-groups-signed.sif", 1),
        ["DataPartitionSquashFS"] = ("two-groups-signed.sif", 2),
        ["DataPartitionEXT3"] = ("two-groups-signed.sif", 3),
        ["DataSignature"] = ("two-groups-signed.sif", 4),
    };

    private static readonly Dictionary<string, int> DumpCases = new() { ["One"] = 1, ["Two"] = 2, ["Three"] = 3 };

    public static TheoryData<string> HeaderGoldens() => [.. SifReference.GoldenNames("TestApp_Header")];

    public static TheoryData<string> ListGoldens() => [.. SifReference.GoldenNames("TestApp_List")];

    public static TheoryData<string> InfoGoldens() => [.. InfoCases.Keys];

    public static TheoryData<string> DumpGoldens() => [.. DumpCases.Keys];

    [Theory]
    [MemberData(nameof(HeaderGoldens))]
    public void Header_ReferenceImage_MatchesGolden(string golden) => AssertImageCommandMatchesGolden("header", "TestApp_Header", golden);

    [Theory]
    [MemberData(nameof(ListGoldens))]
    public void List_ReferenceImage_MatchesGolden(string golden) => AssertImageCommandMatchesGolden("list", "TestApp_List", golden);

    [Theory]
    [MemberData(nameof(InfoGoldens))]
    public void Info_ReferenceObject_MatchesGolden(string golden)
    {
        using var sifsign = new SifSignProcess();
        var (image, id) = InfoCases[golden];

        var result = sifsign.Run("sif", "info", id.ToString(System.Globalization.CultureInfo.InvariantCulture), SifReference.Image(image)).EnsureSuccess();

        Assert.Equal(File.ReadAllText(SifReference.Golden("TestApp_Info", golden)), result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(DumpGoldens))]
    public void Dump_ReferenceObject_MatchesGoldenBytes(string golden)
    {
        using var sifsign = new SifSignProcess();
        var output = Path.Combine(sifsign.Home, "dump.bin");

        // ProcessRunner reads stdout as text; the shell writes the raw bytes to a file instead.
        var result = Infrastructure.ProcessRunner.Run(
            "sh", "-c", "dotnet \"$0\" sif dump \"$1\" \"$2\" > \"$3\"",
            SifSignProcess.DllPath, DumpCases[golden].ToString(System.Globalization.CultureInfo.InvariantCulture), SifReference.Image("one-group-signed.sif"), output).EnsureSuccess();

        Assert.Equal(File.ReadAllBytes(SifReference.Golden("TestApp_Dump", golden)), File.ReadAllBytes(output));
        Assert.Empty(result.StandardError);
    }

    [Fact]
    public void Info_UnknownObject_FailsLikeApptainerWithoutOutput()
    {
        using var sifsign = new SifSignProcess();

        var result = sifsign.Run("sif", "info", "9", SifReference.Image("one-group-signed.sif"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error for command \"info\": ", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    private static void AssertImageCommandMatchesGolden(string command, string goldenSet, string golden)
    {
        using var sifsign = new SifSignProcess();

        var result = sifsign.Run("sif", command, SifReference.Image(ImageName(golden))).EnsureSuccess();

        Assert.Equal(File.ReadAllText(SifReference.Golden(goldenSet, golden)), result.StandardOutput);
    }

    /// <summary>Golden names are the image names in CamelCase: OneGroupSignedLegacyAll → one-group-signed-legacy-all.sif.</summary>
    private static string ImageName(string golden)
    {
        var name = new StringBuilder();
        for (var i = 0; i < golden.Length; i++)
        {
            if (i > 0 && char.IsUpper(golden[i]) && char.IsLower(golden[i - 1]))
            {
                name.Append('-');
            }

            name.Append(char.ToLowerInvariant(golden[i]));
        }

        return name + ".sif";
    }
}
