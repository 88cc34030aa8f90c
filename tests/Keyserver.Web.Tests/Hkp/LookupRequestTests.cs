namespace Keyserver.Web.Tests.Hkp;

public class LookupRequestTests
{
    private static LookupRequest Parse(string query)
    {
        Assert.True(LookupRequest.TryParse(query, out var request, out var error), error?.Message);
        return request!;
    }

    private static LookupError Refuse(string query)
    {
        Assert.False(LookupRequest.TryParse(query, out var request, out var error));
        Assert.Null(request);
        return error!;
    }

    [Theory]
    [InlineData("?op=get&search=0x12345678", "Get")]
    [InlineData("?op=index&search=alice", "Index")]
    [InlineData("?op=vindex&search=alice", "VerboseIndex")]
    [InlineData("?op=stats", "Stats")]
    [InlineData("?op=GET&search=x", "Get")]
    public void Operation_Known_IsParsed(string query, string operation)
    {
        Assert.Equal(operation, Parse(query).Operation.ToString());
    }

    [Theory]
    [InlineData("?op=hget&search=x")]
    [InlineData("?op=x-stats")]
    [InlineData("?op=delete&search=x")]
    public void Operation_Unknown_Is501(string query)
    {
        Assert.Equal(501, Refuse(query).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?search=alice")]
    [InlineData("?op=&search=alice")]
    public void Operation_Missing_Is400(string query)
    {
        Assert.Equal(400, Refuse(query).StatusCode);
    }

    [Theory]
    [InlineData("?op=get")]
    [InlineData("?op=index&search=")]
    [InlineData("?op=index&search=%20%20")]
    [InlineData("?op=vindex&options=mr")]
    public void Search_MissingOrEmpty_Is400(string query)
    {
        var error = Refuse(query);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("search", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Stats_WithoutSearch_IsAccepted()
    {
        var request = Parse("op=stats&options=mr");
        Assert.Null(request.Search);
        Assert.True(request.MachineReadable);
    }

    // §9: the exact query strings gpg, sq and apptainer send.
    [Theory]
    [InlineData("?op=get&options=mr&search=0x01B4B5A517F56CA4", "Get", "0x01B4B5A517F56CA4", true, false)]
    [InlineData("?op=index&options=mr&fingerprint=on&search=test@example.org", "Index", "test@example.org", true, false)]
    [InlineData("?op=index&options=mr&fingerprint=on&search=Test%20User+x%26y", "Index", "Test User+x&y", true, false)]
    [InlineData("?op=get&options=mr&search=test@example.org", "Get", "test@example.org", true, false)]
    [InlineData("?fingerprint=on&op=index&options=mr&search=test%40example.org&x-pagesize=256", "Index", "test@example.org", true, false)]
    [InlineData("?fingerprint=on&op=index&options=mr&search=17f56ca4&x-pagesize=256", "Index", "17f56ca4", true, false)]
    [InlineData("?exact=on&op=get&search=0x65667554d3245d8304b1f45b01b4b5a517f56ca4", "Get", "0x65667554d3245d8304b1f45b01b4b5a517f56ca4", false, true)]
    public void ClientQueries_AreParsed(string query, string operation, string search, bool machineReadable, bool exact)
    {
        var request = Parse(query);
        Assert.Equal(operation, request.Operation.ToString());
        Assert.Equal(search, request.Search);
        Assert.Equal(machineReadable, request.MachineReadable);
        Assert.Equal(exact, request.Exact);
    }

    public static TheoryData<string, string> SearchEncodings => new()
    {
        { "search=Test+User", "Test User" }, // Go form encoding: '+' is a space.
        { "search=a%2Bb%40example.org", "a+b@example.org" }, // Go: a literal '+' is %2B.
        { "search=a+b@example.org", "a+b@example.org" }, // gpg: '+' raw in an address.
        { "search=John%20A+B", "John A+B" }, // gpg: spaces are %20, so '+' is literal.
        { "search=%3Calice%40example.org%3E", "<alice@example.org>" },
        { "search=J%C3%BCrgen", "Jürgen" },
    };

    [Theory]
    [MemberData(nameof(SearchEncodings))]
    public void Search_Encodings_DecodeAsTheClientMeant(string searchPair, string expected)
    {
        Assert.Equal(expected, Parse("op=index&" + searchPair).Search);
    }

    public static TheoryData<string, bool> MrOptions => new()
    {
        { "options=mr", true },
        { "options=nm,mr", true },
        { "options=MR", true },
        { "options=json,bin", false },
        { "options=", false },
        { "fingerprint=on&hash=on&clean=off", false },
    };

    [Theory]
    [MemberData(nameof(MrOptions))]
    public void Options_OnlyMrMatters_UnknownAccepted(string pair, bool machineReadable)
    {
        Assert.Equal(machineReadable, Parse("op=index&search=alice&" + pair).MachineReadable);
    }

    public static TheoryData<string, bool> ExactOptions => new()
    {
        { "exact=on", true },
        { "exact=ON", true },
        { "exact=off", false },
        { "exact=yes", false },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(ExactOptions))]
    public void Exact_OnlyOnMeansExact(string pair, bool exact)
    {
        Assert.Equal(exact, Parse("op=get&search=alice&" + pair).Exact);
    }

    [Fact]
    public void PageSize_Given_IsParsed()
    {
        Assert.Equal(256, Parse("op=index&search=a&x-pagesize=256").PageSize);
        Assert.Null(Parse("op=index&search=a").PageSize);
    }

    [Theory]
    [InlineData("x-pagesize=0")]
    [InlineData("x-pagesize=-5")]
    [InlineData("x-pagesize=abc")]
    [InlineData("x-pagesize=99999999999999999999")]
    [InlineData("x-pagesize=")]
    public void PageSize_Invalid_Is400(string pair)
    {
        Assert.Equal(400, Refuse("op=index&search=a&" + pair).StatusCode);
    }

    [Fact]
    public void PageToken_Issued_RoundTrips()
    {
        Assert.Equal(300, Parse("op=index&search=a&x-pagetoken=" + PageToken.Encode(300)).Offset);
        Assert.Equal(0, Parse("op=index&search=a").Offset);
    }

    [Theory]
    [InlineData("x-pagetoken=garbage")]
    [InlineData("x-pagetoken=o-1")]
    [InlineData("x-pagetoken=o99999999999")]
    [InlineData("x-pagetoken=12")]
    public void PageToken_Foreign_Is400(string pair)
    {
        Assert.Equal(400, Refuse("op=index&search=a&" + pair).StatusCode);
    }

    [Theory]
    [InlineData("op=index&search=%FF%FE")]
    [InlineData("op=index&search=%C3")]
    [InlineData("op=index&search=abc%ZZ")]
    [InlineData("op=index&search=abc%4")]
    [InlineData("op=%FF&search=a")]
    [InlineData("op=index&search=a\uFFFDb")]
    public void Query_NotUtf8OrBadEscape_Is400(string query)
    {
        Assert.Equal(400, Refuse(query).StatusCode);
    }

    [Fact]
    public void Search_Oversized_Is400()
    {
        Assert.Equal(400, Refuse("op=index&search=" + new string('a', KeyQueryParser.MaxLength + 1)).StatusCode);
    }

    [Theory]
    [InlineData("op=index&search=a%00b")]
    [InlineData("op=index&search=a%0Ab")]
    public void Search_ControlCharacters_Is400(string query)
    {
        Assert.Equal(400, Refuse(query).StatusCode);
    }

    [Fact]
    public void Variables_RepeatedOrUnknown_FirstWinsRestIgnored()
    {
        var request = Parse("op=get&op=index&search=first&search=second&x-unknown=1&noequals");
        Assert.Equal(LookupOperation.Get, request.Operation);
        Assert.Equal("first", request.Search);
    }

    [Fact]
    public void Search_ValueWithEquals_SplitsAtFirstEqualsOnly()
    {
        Assert.Equal("a=b", Parse("op=index&search=a=b").Search);
    }
}
