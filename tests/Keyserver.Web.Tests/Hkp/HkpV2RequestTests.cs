namespace Keyserver.Web.Tests.Hkp;

/// <summary>The pure parser of <c>/pks/v2/</c> requests, hostile input included, without a server.</summary>
public class HkpV2RequestTests
{
    private const string V4 = "EB85BB5FA33A75E15E944E63F231550C4F47E38E";
    private const string V6 = "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9";

    private static HkpV2Request Get(string path) => HkpV2Request.Parse("GET", path);

    [Theory]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/" + V4, 4)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/eb85bb5fa33a75e15e944e63f231550c4f47e38e", 4)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04" + V4, 4)]
    [InlineData("/pks/v2/certs/by-vfingerprint/06/" + V6, 6)]
    [InlineData("/pks/v2/certs/by-vfingerprint/06" + V6, 6)]
    [InlineData("/PKS/V2/certs/by-vfingerprint/06/" + V6, 6)]
    public void VersionedFingerprint_BothDraftForms_FingerprintQueryWithVersion(string path, int version)
    {
        var request = Get(path);

        Assert.Equal(HkpV2Operation.Certificates, request.Operation);
        Assert.Equal(version, request.KeyVersion);
        Assert.Equal(version == 4 ? V4 : V6, Assert.IsType<KeyQuery.ByFingerprint>(request.Query).Fingerprint);
    }

    [Theory]
    [InlineData("/pks/v2/certs/by-vfingerprint/06/" + V4, 404)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/" + V6, 404)]
    [InlineData("/pks/v2/certs/by-vfingerprint/05/" + V6, 404)]
    [InlineData("/pks/v2/certs/by-vfingerprint/00/" + V4, 404)]
    [InlineData("/pks/v2/certs/by-vfingerprint/0x04/" + V4, 404)]
    [InlineData("/pks/v2/certs/by-vfingerprint/-4/" + V4, 404)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/0x" + V4, 400)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/" + V4 + "0", 400)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/G" + "B85BB5FA33A75E15E944E63F231550C4F47E38E", 400)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/%20" + V4, 400)]
    [InlineData("/pks/v2/certs/by-vfingerprint/" + V4, 400)]
    [InlineData("/pks/v2/certs/by-vfingerprint/04/" + V4 + "/extra", 404)]
    [InlineData("/pks/v2/certs/by-keyid/F231550C4F47E38", 400)]
    [InlineData("/pks/v2/certs/by-keyid/0xF231550C4F47E38E", 400)]
    [InlineData("/pks/v2/certs/by-keyid/F231550C4F47E38EE", 400)]
    [InlineData("/pks/v2/certs/by-keyid/XYZ1550C4F47E38E", 400)]
    [InlineData("/pks/v2/certs/by-identity", 403)]
    [InlineData("/pks/v2/certs/by-keyid/", 403)]
    [InlineData("/pks/v2/index", 403)]
    [InlineData("/pks/v2/certs/by-email/a@example.org", 404)]
    [InlineData("/pks/v2/canonical/a@example.org", 501)]
    [InlineData("/pks/v2/prefixlog/2026-12-06", 501)]
    [InlineData("/pks/v2/sendtoken", 501)]
    [InlineData("/pks/v2/vfpget/" + V4, 501)]
    [InlineData("/pks/v2", 501)]
    [InlineData("/pks/v2/", 501)]
    [InlineData("/pks/v2/certs", 405)]
    public void Refused_StatusAsTheDraftSays(string path, int status)
    {
        var request = Get(path);

        Assert.Equal(HkpV2Operation.Refused, request.Operation);
        Assert.Equal(status, request.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(request.Error));
    }

    public static TheoryData<string, string> AddressIdentities => new()
    {
        { "alice@example.org", "alice@example.org" },
        { "Alice%40Example.ORG", "alice@example.org" },
        { "%20alice@example.org%20", "alice@example.org" },
    };

    [Theory]
    [MemberData(nameof(AddressIdentities))]
    public void Identity_Address_ExactAddressQuery(string identifier, string address)
    {
        var request = Get("/pks/v2/certs/by-identity/" + identifier);

        Assert.Equal(HkpV2Operation.Certificates, request.Operation);
        Assert.Equal(address, Assert.IsType<KeyQuery.ByEmail>(request.Query).Email);
    }

    public static TheoryData<string, string> UserIdIdentities => new()
    {
        { "alice", "alice" },
        { "example.org", "example.org" },
        { "Alice%20Example%20%3Calice@example.org%3E", "Alice Example <alice@example.org>" },
        { "Build%20Robot", "Build Robot" },
    };

    [Theory]
    [MemberData(nameof(UserIdIdentities))]
    public void Identity_NotAnAddress_WholeUserIdQuery(string identifier, string userId)
    {
        var request = Get("/pks/v2/index/" + identifier);

        Assert.Equal(HkpV2Operation.Index, request.Operation);
        Assert.Equal(userId, Assert.IsType<KeyQuery.ByUserId>(request.Query).UserId);
    }

    public static TheoryData<string> BrokenIdentities => new()
    {
        "a%00b",
        "a%0Ab@example.org",
        "a%1Bb",
        "a%7Fb",
        "%ZZ",
        "a%2",
        "%C3%28",
        "%FF%FE",
        "%ED%A0%80",
    };

    [Theory]
    [MemberData(nameof(BrokenIdentities))]
    public void Identity_ControlCharactersOrBrokenEncoding_400(string identifier)
    {
        var request = Get("/pks/v2/certs/by-identity/" + identifier);

        Assert.Equal(400, request.StatusCode);
    }

    [Fact]
    public void Identity_Oversized_400()
    {
        Assert.Equal(400, Get("/pks/v2/certs/by-identity/" + new string('a', KeyQueryParser.MaxLength + 1)).StatusCode);
        Assert.Equal(HkpV2Operation.Certificates, Get("/pks/v2/certs/by-identity/" + new string('a', KeyQueryParser.MaxLength)).Operation);
    }

    [Fact]
    public void Path_OverTheLimit_414()
    {
        Assert.Equal(414, Get("/pks/v2/index/" + new string('a', HkpV2Request.MaxPathLength)).StatusCode);
    }

    [Fact]
    public void KeyId_V4Only()
    {
        var request = Get("/pks/v2/certs/by-keyid/f231550c4f47e38e");

        Assert.Equal("F231550C4F47E38E", Assert.IsType<KeyQuery.ByKeyId>(request.Query).KeyId);
        Assert.Equal(4, request.MaxKeyVersion);
    }

    [Theory]
    [InlineData("/pks/v2/certs", HkpV2Request.CertsMethods)]
    [InlineData("/pks/v2/certs/by-identity", HkpV2Request.LookupMethods)]
    [InlineData("/pks/v2/certs/by-vfingerprint/", HkpV2Request.LookupMethods)]
    [InlineData("/pks/v2/certs/by-keyid", HkpV2Request.LookupMethods)]
    [InlineData("/pks/v2/index", HkpV2Request.LookupMethods)]
    public void Options_SupportedCategory_ListsMethods(string path, string allow)
    {
        var request = HkpV2Request.Parse("OPTIONS", path);

        Assert.Equal(HkpV2Operation.Options, request.Operation);
        Assert.Equal(allow, request.Allow);
    }

    [Theory]
    [InlineData("OPTIONS", "/pks/v2/canonical", 501)]
    [InlineData("OPTIONS", "/pks/v2/prefixlog", 501)]
    [InlineData("OPTIONS", "/pks/v2/certs/by-identity/a@example.org", 405)]
    [InlineData("POST", "/pks/v2/index/a@example.org", 405)]
    [InlineData("DELETE", "/pks/v2/certs", 405)]
    [InlineData("PUT", "/pks/v2/canonical/a@example.org", 501)]
    public void OtherMethods_405Or501(string method, string path, int status)
    {
        Assert.Equal(status, HkpV2Request.Parse(method, path).StatusCode);
    }

    [Fact]
    public void Post_Certs_IsSubmission()
    {
        Assert.Equal(HkpV2Operation.Submit, HkpV2Request.Parse("POST", "/pks/v2/certs").Operation);
    }
}
