namespace Interop.Tests.Keyserver;

/// <summary>
/// Armor as other real writers produce it (spec/hkp.md §1.6, RFC 9580 §6.2): header lines such as
/// BouncyCastle's <c>Version:</c> and sq's <c>Comment:</c>, CRLF line ends, several blocks in one field.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class UploadFormatTests(KeyserverFixture fixture)
{
    private readonly KeyserverProcess _server = fixture.Server;

    [Theory]
    [MemberData(nameof(ArmorStyles))]
    public async Task Add_ArmorStyle_AcceptedAndServed(ArmorStyle style)
    {
        var ring = TestKeys.Certificate(TestKeys.NewKeyPair(), $"Armor {style} <armor-{Guid.NewGuid():N}@example.org>");
        var armored = style switch
        {
            ArmorStyle.VersionHeader => TestKeys.Armor(ring.GetEncoded(), version: "BouncyCastle.NET Cryptography (net6.0) v2.7.0"),
            ArmorStyle.VersionAndCommentHeaders => TestKeys.Armor(
                ring.GetEncoded(), version: "GnuPG v1", comment: "9C55 B4EF FC57 054B 19DF  72A8 6995 6974 C482 C5BC"),
            ArmorStyle.CrLfLineEnds => TestKeys.Armor(ring.GetEncoded()).ReplaceLineEndings("\r\n"),
            _ => TestKeys.Armor(ring.GetEncoded()),
        };
        using var http = _server.CreateClient();

        using var added = await http.AddAsync(armored);

        Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
        using var served = await http.GetKeyAsync(TestKeys.Fingerprint(ring.GetPublicKey()));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    public static TheoryData<ArmorStyle> ArmorStyles => new(Enum.GetValues<ArmorStyle>());

    [Fact]
    public async Task Add_TwoArmorBlocksInOneKeytext_BothServed()
    {
        var first = TestKeys.Certificate(TestKeys.NewKeyPair(), $"First <first-{Guid.NewGuid():N}@example.org>");
        var second = TestKeys.Certificate(TestKeys.NewKeyPair(), $"Second <second-{Guid.NewGuid():N}@example.org>");
        using var http = _server.CreateClient();

        using var added = await http.AddAsync(TestKeys.Armor(first.GetEncoded()) + TestKeys.Armor(second.GetEncoded()));

        Assert.True(added.StatusCode == HttpStatusCode.OK, await added.DescribeAsync());
        foreach (var ring in new[] { first, second })
        {
            using var served = await http.GetKeyAsync(TestKeys.Fingerprint(ring.GetPublicKey()));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
    }

    public enum ArmorStyle
    {
        NoHeaders,
        VersionHeader,
        VersionAndCommentHeaders,
        CrLfLineEnds,
    }
}
