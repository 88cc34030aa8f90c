namespace Keyserver.Web.Tests.Hkp;

public class MachineReadableIndexTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_345_589_945);

    private static IdentityRecord Identity(string userId, IdentityState state = IdentityState.Published, DateTimeOffset? expires = null, Revocation? revoked = null) =>
        new(userId, null, state, Created, expires, revoked, Created);

    private static KeyRecord Key(string fingerprint, KeyInfo primary, params IdentityRecord[] identities) => new()
    {
        Fingerprint = fingerprint,
        Version = 4,
        FullKey = [1],
        Published = [1],
        Primary = primary,
        Subkeys = [],
        Identities = identities,
        Fingerprints = [fingerprint],
        KeyIds = [fingerprint[^16..]],
        ShortKeyIds = [fingerprint[^8..]],
        PublishedEmails = [],
        PublishedWords = [],
        FirstSeen = Created,
        LastModified = Created,
    };

    [Fact]
    public void Write_OneKey_MatchesHockeypuckLayout()
    {
        var key = Key("10FE8CF1B483F7525039AA2A361BC1F023E0DCCA", new KeyInfo(1, 2048, null, Created, null, null), Identity("alice <alice@example.com>"));

        var index = MachineReadableIndex.Write([key], Now);

        Assert.Equal(
            "info:1:1\n"
            + "pub:10FE8CF1B483F7525039AA2A361BC1F023E0DCCA:1:2048:1345589945::\n"
            + "uid:alice%20%3Calice@example.com%3E:1345589945::\n",
            index);
    }

    [Fact]
    public void Write_SeveralKeys_CountIsNumberOfPubLines()
    {
        var a = Key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", new KeyInfo(22, 256, "Ed25519", Created, null, null), Identity("a"), Identity("b"));
        var b = Key("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", new KeyInfo(1, 4096, null, Created, null, null), Identity("c"));

        var lines = MachineReadableIndex.Write([a, b], Now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("info:1:2", lines[0]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("pub:", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l.StartsWith("uid:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Write_RevokedAndExpired_SetsFlagsAndDates()
    {
        var expired = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var revocation = new Revocation(Created, 2, "");
        var key = Key(
            "0123456789abcdef0123456789abcdef01234567",
            new KeyInfo(22, 256, "Ed25519", Created, expired, revocation),
            Identity("old <old@example.org>", revoked: new Revocation(Created, 32, "")),
            Identity("later", expires: DateTimeOffset.FromUnixTimeSeconds(1_900_000_000)));

        var lines = MachineReadableIndex.Write([key], Now).Split('\n');

        Assert.Equal("pub:0123456789ABCDEF0123456789ABCDEF01234567:22:256:1345589945:1700000000:re", lines[1]);
        Assert.Equal("uid:old%20%3Cold@example.org%3E:1345589945::r", lines[2]);
        Assert.Equal("uid:later:1345589945:1900000000:", lines[3]);
    }

    [Fact]
    public void Write_UnpublishedIdentities_AreLeftOut()
    {
        var key = Key(
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            new KeyInfo(1, 2048, null, Created, null, null),
            Identity("shown"),
            Identity("pending <p@example.org>", IdentityState.Pending),
            Identity("withdrawn <w@example.org>", IdentityState.Unpublished));

        var index = MachineReadableIndex.Write([key], Now);

        Assert.Contains("uid:shown:", index, StringComparison.Ordinal);
        Assert.DoesNotContain("example.org", index, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoKeys_IsInfoLineOnly()
    {
        Assert.Equal("info:1:0\n", MachineReadableIndex.Write([], Now));
    }

    public static TheoryData<string, string> Escapes => new()
    {
        { "a:b", "a%3Ab" },
        { "100%", "100%25" },
        { "a+b@example.org", "a%2Bb@example.org" },
        { "<x>", "%3Cx%3E" },
        { "Test User", "Test%20User" },
        { "Jürgen", "J%C3%BCrgen" },
        { "tab\there\nnew\0", "tab%09here%0Anew%00" },
        { "Az09-._~@", "Az09-._~@" },
        { "&=?#/\\\"'", "%26%3D%3F%23%2F%5C%22%27" },
        { "\U0001F511", "%F0%9F%94%91" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Escape_FollowsPracticalRule(string userId, string expected)
    {
        Assert.Equal(expected, MachineReadableIndex.Escape(userId));
    }

    public static TheoryData<string> UserIdsToEscape => new()
    {
        "a:b%c+d <e@f.org>",
        "Jürgen Müller (Comment) <jm@example.de>",
        "ctrl\u0001\u007F",
    };

    [Theory]
    [MemberData(nameof(UserIdsToEscape))]
    public void Escape_DecodesBackWithGoAndJsRules(string userId)
    {
        var escaped = MachineReadableIndex.Escape(userId);

        Assert.DoesNotContain(':', escaped);
        Assert.DoesNotContain('+', escaped);
        Assert.DoesNotContain(' ', escaped);
        // Uri.UnescapeDataString decodes as JS decodeURIComponent and Go QueryUnescape do for this alphabet.
        Assert.Equal(userId, Uri.UnescapeDataString(escaped));
    }
}
