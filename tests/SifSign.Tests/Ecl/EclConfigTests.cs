namespace SifSign.Tests.Ecl;

public sealed class EclConfigTests
{
    private const string Fp1 = "5994BE54C31CF1B5E1994F987C52CF6D055F072B";
    private const string Fp2 = "7064B1D6EFF01B1262FED3F03581D99FE87EAFD1";

    [Fact]
    public void Parse_ApptainerExampleLayout_ReadsEveryField()
    {
        var toml = $"""
            # ECL example
            activated = true
            legacyinsecure = false
            [[execgroup]]
              tagname = 'group1'
              mode = 'whitestrict'
              dirpath = '/var/cache/containers'
              keyfp = ['{Fp1}', '{Fp2}']
            [[execgroup]]
              tagname = "fallback"
              mode = "blacklist"
              dirpath = ""
              keyfp = []
            """;

        var config = EclConfig.Parse(toml, path => path);

        Assert.True(config.Activated);
        Assert.False(config.LegacyInsecure);
        Assert.Equal(2, config.ExecGroups.Count);
        Assert.Equal(new EclExecGroup("group1", EclMode.Whitestrict, "/var/cache/containers", config.ExecGroups[0].KeyFingerprints), config.ExecGroups[0]);
        Assert.Equal([Fp1, Fp2], config.ExecGroups[0].KeyFingerprints);
        Assert.Equal(EclMode.Blacklist, config.ExecGroups[1].Mode);
        Assert.Equal(string.Empty, config.ExecGroups[1].DirPath);
    }

    [Fact]
    public void Parse_EmptyFile_IsDeactivatedWithNoGroups()
    {
        var config = EclConfig.Parse(string.Empty, path => path);

        Assert.False(config.Activated);
        Assert.Empty(config.ExecGroups);
    }

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Parse_InvalidConfig_ReportsError(string toml, string expected)
    {
        var error = Assert.Throws<EclConfigException>(() => EclConfig.Parse(toml, path => path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidConfigs => new()
    {
        { "activated = ", "not valid TOML" },
        { "activated = \"yes\"", "activated must be a boolean" },
        { "activate = true", "unknown key \"activate\"" },
        { "[execgroup]\nmode = \"whitelist\"", "execgroup must be an array of tables" },
        { "[[execgroup]]\nmode = \"greylist\"", "the mode field can only be either: whitelist, whitestrict, blacklist" },
        { "[[execgroup]]\ntagname = \"g\"", "execgroup #1 (g): the mode field can only be either" },
        { "[[execgroup]]\nmode = 3", "mode must be a string" },
        { "[[execgroup]]\nmode = \"whitelist\"\nkeyfp = \"" + Fp1 + "\"", "keyfp must be an array of strings" },
        { "[[execgroup]]\nmode = \"whitelist\"\nkeyfp = [1]", "keyfp must be an array of strings" },
        { "[[execgroup]]\nmode = \"whitelist\"\nkeyfp = [\"5994BE54C31CF1B5E1994F987C52CF6D055F072\"]", "expecting a 40 chars hex fingerprint string" },
        { "[[execgroup]]\nmode = \"whitelist\"\nkeyfp = [\"5994BE54C31CF1B5E1994F987C52CF6D055F072BAA\"]", "expecting a 40 chars hex fingerprint string" },
        { "[[execgroup]]\nmode = \"whitelist\"\nkeyfp = [\"Z994BE54C31CF1B5E1994F987C52CF6D055F072B\"]", "expecting a 40 chars hex fingerprint string" },
        { "[[execgroup]]\nmode = \"whitelist\"\ncolour = \"red\"", "execgroup #1: unknown key \"colour\"" },
        { "[[execgroup]]\nmode = \"whitelist\"\ndirpath = \"relative/dir\"", "must be an absolute path" },
        { "[[execgroup]]\nmode = \"whitelist\"\ndirpath = \"/a\"\n[[execgroup]]\nmode = \"blacklist\"\ndirpath = \"/a\"", "execgroup #2: a specific dirpath can only appear in one execgroup: /a" },
        { "[[execgroup]]\nmode = \"whitelist\"\n[[execgroup]]\nmode = \"blacklist\"", "a specific dirpath can only appear in one execgroup" },
    };

    [Fact]
    public void Parse_SeveralErrors_ReportsTheFirstInFileOrder()
    {
        const string toml = "[[execgroup]]\nmode = \"nope\"\n[[execgroup]]\nmode = \"whitelist\"\nkeyfp = [\"xyz\"]";

        var error = Assert.Throws<EclConfigException>(() => EclConfig.Parse(toml, path => path));

        Assert.Contains("execgroup #1", error.Message, StringComparison.Ordinal);
        Assert.Contains("mode field", error.Message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Parse_CanonicalExistingDirectory_IsAccepted()
    {
        using var dir = new TempDirectory();
        var canonical = RealPath(dir.Path);

        var config = WhitelistWithDirPath(canonical);

        Assert.Equal(canonical, config.ExecGroups[0].DirPath);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Parse_DirPathThroughSymlink_IsRejected()
    {
        using var dir = new TempDirectory();
        var canonical = RealPath(dir.Path);
        Directory.CreateDirectory(Path.Combine(canonical, "real", "images"));
        File.CreateSymbolicLink(Path.Combine(canonical, "link"), Path.Combine(canonical, "real"));
        var throughLink = Path.Combine(canonical, "link", "images");

        var message = DirPathRefusal(throughLink);

        Assert.Contains("fully cleaned with symlinks resolved", message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(canonical, "real", "images"), message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Parse_DirPathWithRelativeSymlink_ResolvesLikeRealpath()
    {
        using var dir = new TempDirectory();
        var canonical = RealPath(dir.Path);
        Directory.CreateDirectory(Path.Combine(canonical, "a", "b"));
        File.CreateSymbolicLink(Path.Combine(canonical, "a", "up"), "../a/b");
        var throughLink = Path.Combine(canonical, "a", "up");
        var expected = RealPath(throughLink);

        var message = DirPathRefusal(throughLink);

        Assert.Contains($"resolves to {expected})", message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Parse_DirPathSymlinkLoop_IsRejectedWithoutHanging()
    {
        using var dir = new TempDirectory();
        var canonical = RealPath(dir.Path);
        File.CreateSymbolicLink(Path.Combine(canonical, "loop"), Path.Combine(canonical, "loop"));

        var message = DirPathRefusal($"{canonical}/loop");

        Assert.Contains("too many levels of symbolic links", message, StringComparison.Ordinal);
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void Parse_TrailingSlashOrDotSegments_AreNotClean()
    {
        using var dir = new TempDirectory();
        var canonical = RealPath(dir.Path);

        Assert.Throws<EclConfigException>(() => WhitelistWithDirPath($"{canonical}/"));
        Assert.Throws<EclConfigException>(() => WhitelistWithDirPath($"{canonical}/./"));
    }

    [Fact]
    public void Parse_MissingDirectory_ReportsIt()
    {
        var message = DirPathRefusal("/nonexistent-ecl-dir/x");

        Assert.Contains("no such file or directory", message, StringComparison.Ordinal);
    }

    // The path with every symlink resolved, as realpath(1) prints it: the form an ECL dirpath must have.
    private static string RealPath(string path) => ExternalTool.RunOk("realpath", path).Trim();

    private static EclConfig WhitelistWithDirPath(string dirPath) =>
        EclConfig.Parse($"[[execgroup]]\nmode = \"whitelist\"\ndirpath = \"{dirPath}\"");

    private static string DirPathRefusal(string dirPath) =>
        Assert.Throws<EclConfigException>(() => WhitelistWithDirPath(dirPath)).Message;
}
